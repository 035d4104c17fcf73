// 双定三联 links: thin lines from an in-service party member's home to each household they
// are linked to (red-ish to their family in difficulty, amber to their neighbours), and green to
// the businesses (经营主体) near home they are linked to. A deck.gl
// LineLayer over binary attributes: a community has a few thousand links, a subdistrict more.
import { LineLayer } from '@deck.gl/layers';
import type { BinaryAttribute } from '@deck.gl/core';
import type { BusinessLinkLine, CadreLinkLine } from '../api/community';
import { LINK_COLORS } from '../map/theme';
import type { DeckStack } from './deck';
import { LAYER } from './ids';

export class LinkLines {
  private data: { length: number; attributes: Record<string, BinaryAttribute> } | null = null;
  private visible = true;

  constructor(
    private readonly deck: DeckStack,
    private readonly scale: number,
  ) {}

  setData(links: readonly CadreLinkLine[] | null): void {
    this.data = links && links.length ? buildAttributes(links) : null;
    this.render();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.render();
  }

  get drawnCount(): number {
    return this.visible ? (this.data?.length ?? 0) : 0;
  }

  destroy(): void {
    this.deck.set('links', null);
  }

  private render(): void {
    if (!this.visible || !this.data) {
      this.deck.set('links', null);
      return;
    }
    this.deck.set(
      'links',
      new LineLayer({
        id: 'ga-links',
        beforeId: LAYER.householdsBefore,
        data: this.data,
        widthUnits: 'pixels',
        getWidth: 1.3 * this.scale,
        pickable: false,
      }),
    );
  }
}

function buildAttributes(links: readonly CadreLinkLine[]) {
  const n = links.length;
  const src = new Float64Array(2 * n);
  const dst = new Float64Array(2 * n);
  const colors = new Uint8Array(4 * n);
  // Difficulty links last, so they draw over the neighbour links that share their member's home.
  const order = links.map((_, i) => i).sort((a, b) => Number(links[a].kind === 'difficulty') - Number(links[b].kind === 'difficulty'));
  order.forEach((i, j) => {
    const l = links[i];
    src[2 * j] = l.from_lon;
    src[2 * j + 1] = l.from_lat;
    dst[2 * j] = l.to_lon;
    dst[2 * j + 1] = l.to_lat;
    colors.set(l.kind === 'difficulty' ? LINK_COLORS.difficulty : LINK_COLORS.neighbour, 4 * j);
  });
  return {
    length: n,
    attributes: {
      getSourcePosition: { value: src, size: 2 },
      getTargetPosition: { value: dst, size: 2 },
      getColor: { value: colors, size: 4, type: 'unorm8', normalized: true } as BinaryAttribute,
    },
  };
}

/**
 * 双定三联's third link: lines from an in-service member's home to each business (经营主体) they
 * are linked to, in a slot of their own (switched on with the businesses' layer).
 */
export class BusinessLinkLines {
  private data: { length: number; attributes: Record<string, BinaryAttribute> } | null = null;
  private visible = false;

  constructor(
    private readonly deck: DeckStack,
    private readonly scale: number,
  ) {}

  setData(links: readonly BusinessLinkLine[] | null): void {
    this.data = links && links.length ? lineAttributes(links, () => LINK_COLORS.business) : null;
    this.render();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.render();
  }

  get drawnCount(): number {
    return this.visible ? (this.data?.length ?? 0) : 0;
  }

  destroy(): void {
    this.deck.set('businessLinks', null);
  }

  private render(): void {
    if (!this.visible || !this.data) {
      this.deck.set('businessLinks', null);
      return;
    }
    this.deck.set(
      'businessLinks',
      new LineLayer({
        id: 'ga-business-links',
        beforeId: LAYER.householdsBefore,
        data: this.data,
        widthUnits: 'pixels',
        getWidth: 1.5 * this.scale,
        pickable: false,
      }),
    );
  }
}

type Line = { from_lon: number; from_lat: number; to_lon: number; to_lat: number };

function lineAttributes<L extends Line>(lines: readonly L[], color: (l: L) => readonly number[]) {
  const n = lines.length;
  const src = new Float64Array(2 * n);
  const dst = new Float64Array(2 * n);
  const colors = new Uint8Array(4 * n);
  lines.forEach((l, j) => {
    src[2 * j] = l.from_lon;
    src[2 * j + 1] = l.from_lat;
    dst[2 * j] = l.to_lon;
    dst[2 * j + 1] = l.to_lat;
    colors.set(color(l), 4 * j);
  });
  return {
    length: n,
    attributes: {
      getSourcePosition: { value: src, size: 2 },
      getTargetPosition: { value: dst, size: 2 },
      getColor: { value: colors, size: 4, type: 'unorm8', normalized: true } as BinaryAttribute,
    },
  };
}
