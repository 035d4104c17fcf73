// English names of the seeded case and need categories (by code, short enough for a wall
// screen's chart and ticker) and of their groups (by the group's name as the register writes
// it). The Chinese names are the register's own, sent by the server with every case, need and
// list; only English reads these. A category the register gains later without an English name
// here is shown as the register names it (i18n/categories.test.ts checks that every category and
// group of the database has one today).
export const CATEGORY_EN: Record<string, string> = {
  garbage: 'Rubbish not collected',
  sewage: 'Sewage or blocked drains',
  pollution: 'Fumes, dust and odours',
  noise: 'Noise nuisance',
  greenery: 'Greenery and tree hazards',
  neighbour_dispute: 'Neighbour dispute',
  property_dispute: 'Property management dispute',
  family_dispute: 'Family dispute',
  wage_dispute: 'Unpaid wages, labour dispute',
  road_damage: 'Road damage, manhole covers',
  streetlight: 'Street light out',
  public_facility: 'Damaged public facilities',
  elevator: 'Lift failure',
  water_supply: 'Water supply and quality',
  power_supply: 'Power cuts and wiring',
  gas_safety: 'Gas leaks and pipes',
  fire_hazard: 'Fire hazards',
  public_order: 'Public order',
  geohazard: 'Landslide and rockfall risk',
  flooding: 'Waterlogging and floods',
  building_safety: 'Unsafe buildings',
  illegal_building: 'Illegal construction',
  parking: 'Disorderly parking',
  traffic_facility: 'Traffic signals and signs',
  street_vending: 'Street vending',
  pets: 'Dogs and stray animals',
  hardship: 'Relief for people in difficulty',
  elderly_care: 'Care for elderly and disabled',
  errand: 'Errands for residents',
  collective_appeal: 'Relocation, collective appeals',
};

export const CATEGORY_GROUP_EN: Record<string, string> = {
  环境卫生: 'Environment and sanitation',
  矛盾纠纷: 'Disputes',
  设施维修: 'Facility repairs',
  水电气: 'Water, power and gas',
  公共安全: 'Public safety',
  房屋建筑: 'Housing and buildings',
  交通出行: 'Traffic',
  市容秩序: 'Street order',
  民生帮扶: 'Livelihood support',
  重大事项: 'Major matters',
};
