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

type Line = { from_lon: number; from_lat: number; to_lon: number; to_lat: number };
type Slot = 'links' | 'businessLinks';

/** One slot's lines: set the data, switch them on and off; drawn under the households' dots. */
class Lines<L extends Line> {
  private data: { length: number; attributes: Record<string, BinaryAttribute> } | null = null;

  constructor(
    private readonly deck: DeckStack,
    private readonly scale: number,
    private readonly style: { slot: Slot; id: string; width: number; color: (l: L) => readonly number[]; order?: (a: L, b: L) => number },
    private visible: boolean,
  ) {}

  setData(lines: readonly L[] | null): void {
    this.data = lines && lines.length ? lineAttributes(this.style.order ? [...lines].sort(this.style.order) : lines, this.style.color) : null;
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
    this.deck.set(this.style.slot, null);
  }

  private render(): void {
    if (!this.visible || !this.data) {
      this.deck.set(this.style.slot, null);
      return;
    }
    this.deck.set(
      this.style.slot,
      new LineLayer({
        id: this.style.id,
        beforeId: LAYER.householdsBefore,
        data: this.data,
        widthUnits: 'pixels',
        getWidth: this.style.width * this.scale,
        pickable: false,
      }),
    );
  }
}

/** A member's links to their family in difficulty and their neighbours (shown by default). */
export class LinkLines extends Lines<CadreLinkLine> {
  constructor(deck: DeckStack, scale: number) {
    super(deck, scale, {
      slot: 'links', id: 'ga-links', width: 1.3,
      color: (l) => (l.kind === 'difficulty' ? LINK_COLORS.difficulty : LINK_COLORS.neighbour),
      // Difficulty links last, so they draw over the neighbour links that share their member's home.
      order: (a, b) => Number(a.kind === 'difficulty') - Number(b.kind === 'difficulty'),
    }, true);
  }
}

/**
 * 双定三联's third link: lines from an in-service member's home to each business (经营主体) they
 * are linked to, in a slot of their own (switched on with the businesses' layer).
 */
export class BusinessLinkLines extends Lines<BusinessLinkLine> {
  constructor(deck: DeckStack, scale: number) {
    super(deck, scale, { slot: 'businessLinks', id: 'ga-business-links', width: 1.5, color: () => LINK_COLORS.business }, false);
  }
}

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
