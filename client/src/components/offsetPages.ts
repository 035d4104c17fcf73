// Paging through a list by offset and total (事件列表, 三级考评): which page this is, how many there
// are, and whether there is one before and after. OffsetPager draws it.

export interface OffsetPage {
  number: number;
  count: number;
  hasPrev: boolean;
  hasNext: boolean;
}

export function offsetPage(offset: number, total: number, size: number): OffsetPage {
  return {
    number: Math.floor(offset / size) + 1,
    count: Math.max(1, Math.ceil(total / size)),
    hasPrev: offset > 0,
    hasNext: offset + size < total,
  };
}
