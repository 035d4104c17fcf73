// Case categories under their groups, for a picker's optgroups (CategorySelect).

export interface GroupedCategory {
  code: string;
  name: string;
  group: string;
}

/** The categories by group: groups in the order they first appear, each group's in list order. */
export function byGroup<C extends GroupedCategory>(categories: readonly C[]): [string, C[]][] {
  const by = new Map<string, C[]>();
  for (const c of categories) by.set(c.group, [...(by.get(c.group) ?? []), c]);
  return [...by];
}
