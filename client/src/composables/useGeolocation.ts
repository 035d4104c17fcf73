// The device's position, asked for in one place: every "use my location" button of the client goes
// through here, with the same accuracy and time limit, and a `locating` flag for the button.
import { ref } from 'vue';

/** What the device answered: the point as [lng, lat], or why there is none. */
export type GeolocationResult =
  | { ok: true; point: [number, number] }
  | { ok: false; reason: 'unsupported' | 'failed' };

export function useGeolocation() {
  const locating = ref(false);

  /** One fix from the device (high accuracy, ten seconds at most); never rejects. */
  function locate(): Promise<GeolocationResult> {
    if (typeof navigator === 'undefined' || !navigator.geolocation) return Promise.resolve({ ok: false, reason: 'unsupported' });
    locating.value = true;
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          locating.value = false;
          resolve({ ok: true, point: [pos.coords.longitude, pos.coords.latitude] });
        },
        () => {
          locating.value = false;
          resolve({ ok: false, reason: 'failed' });
        },
        { enableHighAccuracy: true, timeout: 10_000 },
      );
    });
  }

  return { locating, locate };
}
