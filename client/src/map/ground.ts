// The synthetic ground (the Qing River and the street network with names, GET /api/basemap) under
// every working map: a planner runs a grid line along a road, a grid worker places a pin by the
// street it is on. Fetched once per page load and shared by every map; a failure is reported once
// and the next map asks again.
import type { BasemapCollection } from '@grid-atlas/contract';
import { fetchBasemap } from '../api/basemap';

let ground: Promise<BasemapCollection | null> | null = null;

export function loadGround(onError: (err: unknown) => void): Promise<BasemapCollection | null> {
  ground ??= fetchBasemap().catch((err) => {
    ground = null;
    onError(err);
    return null;
  });
  return ground;
}
