-- 0025: 权力下放清单 — the powers delegated to the subdistricts: 72 statutory powers (法定职权) and
-- 217 administrative enforcement items (行政执法事项).
--
-- Synthetic and deterministic: the demo has no official list, so the items are built here from
-- twelve fields of work × six kinds of power (72) and thirty-one violations × seven measures
-- (217), with the field's or violation's unit (departments.code, the unit that held the power
-- before it was delegated) and the case categories it answers. Each item says at which level
-- it is handled (case levels). A case falls under the first item of its category, statutory
-- powers before enforcement items; a category with no item is one whose power the subdistrict
-- does not hold (its cases go to a department).
CREATE TABLE power_items (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^(QL|ZF)-[0-9]{3}$'),
  kind text NOT NULL CHECK (kind IN ('statutory_power', 'enforcement')),
  name text NOT NULL UNIQUE CHECK (name <> ''),
  -- 领域: a heading for the list
  field text NOT NULL,
  -- the unit that held the power before it was delegated (departments.code)
  department_code text NOT NULL,
  handling_level text NOT NULL CHECK (handling_level IN ('grid', 'community', 'subdistrict', 'city')),
  sort integer NOT NULL UNIQUE,
  CHECK ((kind = 'statutory_power') = (code LIKE 'QL-%'))
);

CREATE TABLE power_item_categories (
  item_id integer NOT NULL REFERENCES power_items (id) ON DELETE CASCADE,
  category_code text NOT NULL REFERENCES case_categories (code) ON DELETE CASCADE,
  PRIMARY KEY (item_id, category_code)
);
CREATE INDEX power_item_categories_category_idx ON power_item_categories (category_code, item_id);

CREATE TEMPORARY TABLE power_fields_seed (n integer, field text, object text, dept text, categories text[]) ON COMMIT DROP;
INSERT INTO power_fields_seed VALUES
  ( 1, '城市管理', '市容环境卫生',       'D05', '{garbage,street_vending,greenery}'),
  ( 2, '城市管理', '市政公用设施',       'D05', '{road_damage,streetlight,public_facility}'),
  ( 3, '生态环境', '大气和噪声污染防治', 'D09', '{pollution,noise}'),
  ( 4, '自然资源', '地质灾害隐患',       'D08', '{geohazard}'),
  ( 5, '住房建设', '房屋建筑使用安全',   'D04', '{building_safety,illegal_building,property_dispute}'),
  ( 6, '应急管理', '消防和燃气安全',     'D12', '{fire_hazard,gas_safety}'),
  ( 7, '市场监管', '特种设备使用安全',   'D13', '{elevator}'),
  ( 8, '民政',     '社会救助和养老服务', 'D02', '{hardship,elderly_care}'),
  ( 9, '人力社保', '劳动保障',           'D03', '{wage_dispute}'),
  (10, '农业农村', '犬只和动物防疫',     'D17', '{pets}'),
  (11, '水利',     '河道和防汛安全',     'D11', '{flooding}'),
  (12, '交通运输', '道路交通设施',       'D10', '{traffic_facility,parking}');

CREATE TEMPORARY TABLE power_kinds_seed (n integer, kind text, level text) ON COMMIT DROP;
INSERT INTO power_kinds_seed VALUES
  (1, '日常监督检查', 'community'),
  (2, '投诉举报受理核查', 'subdistrict'),
  (3, '违法行为劝阻制止', 'community'),
  (4, '安全隐患排查登记', 'grid'),
  (5, '信息采集报送', 'grid'),
  (6, '协调处置', 'subdistrict');

CREATE TEMPORARY TABLE violations_seed (n integer, field text, behaviour text, dept text, category text) ON COMMIT DROP;
INSERT INTO violations_seed VALUES
  ( 1, '城市管理', '随意倾倒、抛撒生活垃圾',           'D05', 'garbage'),
  ( 2, '城市管理', '未按规定分类投放生活垃圾',         'D05', 'garbage'),
  ( 3, '城市管理', '擅自向城市排水设施排放污水',       'D05', 'sewage'),
  ( 4, '生态环境', '餐饮服务业油烟直排',               'D09', 'pollution'),
  ( 5, '生态环境', '建筑工地未采取扬尘防治措施',       'D09', 'pollution'),
  ( 6, '生态环境', '夜间违规进行建筑施工产生噪声',     'D09', 'noise'),
  ( 7, '生态环境', '商业经营活动使用高音广播喇叭',     'D09', 'noise'),
  ( 8, '城市管理', '损毁城市绿地和绿化设施',           'D05', 'greenery'),
  ( 9, '城市管理', '擅自砍伐、迁移城市树木',           'D05', 'greenery'),
  (10, '城市管理', '擅自占用、挖掘城市道路',           'D05', 'road_damage'),
  (11, '城市管理', '损坏城市道路照明设施',             'D05', 'streetlight'),
  (12, '城市管理', '损毁公共健身和休闲设施',           'D05', 'public_facility'),
  (13, '市场监管', '未按规定对电梯进行维护保养',       'D13', 'elevator'),
  (14, '住房建设', '擅自改装、拆除供水设施',           'D04', 'water_supply'),
  (15, '应急管理', '违规使用、存放瓶装液化气',         'D12', 'gas_safety'),
  (16, '应急管理', '占用、堵塞消防车通道',             'D12', 'fire_hazard'),
  (17, '应急管理', '占用防火间距',                     'D12', 'fire_hazard'),
  (18, '应急管理', '在居民楼内违规存放易燃易爆物品',   'D12', 'fire_hazard'),
  (19, '城市管理', '未取得建设工程规划许可证搭建建筑物', 'D05', 'illegal_building'),
  (20, '住房建设', '装修中擅自变动房屋承重结构',       'D04', 'building_safety'),
  (21, '交通运输', '擅自占用公共停车泊位',             'D10', 'parking'),
  (22, '交通运输', '机动车在人行道违规停放',           'D10', 'parking'),
  (23, '交通运输', '损毁交通标志、标线',               'D10', 'traffic_facility'),
  (24, '城市管理', '占用城市道路从事经营活动',         'D05', 'street_vending'),
  (25, '市场监管', '无照经营流动摊贩',                 'D13', 'street_vending'),
  (26, '农业农村', '未按规定办理犬只登记',             'D17', 'pets'),
  (27, '农业农村', '携犬出户未束犬链',                 'D17', 'pets'),
  (28, '水利',     '在河道管理范围内倾倒废弃物',       'D11', 'flooding'),
  (29, '自然资源', '在地质灾害危险区违规开挖山体',     'D08', 'geohazard'),
  (30, '人力社保', '用人单位拖欠劳动者工资',           'D03', 'wage_dispute'),
  (31, '城市管理', '未经批准设置户外广告设施',         'D05', 'public_facility');

CREATE TEMPORARY TABLE measures_seed (n integer, measure text) ON COMMIT DROP;
INSERT INTO measures_seed VALUES
  (1, '责令改正'), (2, '警告'), (3, '罚款'), (4, '没收违法所得'), (5, '责令停止违法行为'),
  (6, '查封、扣押涉案物品'), (7, '强制拆除或清除');

-- 72 statutory powers: QL-001 … QL-072, field by field
INSERT INTO power_items (code, kind, name, field, department_code, handling_level, sort)
SELECT format('QL-%s', lpad(((f.n - 1) * 6 + k.n)::text, 3, '0')), 'statutory_power',
       f.object || k.kind, f.field, f.dept, k.level, (f.n - 1) * 6 + k.n
  FROM power_fields_seed f CROSS JOIN power_kinds_seed k;

-- 217 enforcement items: ZF-001 … ZF-217, violation by violation; all handled by the subdistrict
INSERT INTO power_items (code, kind, name, field, department_code, handling_level, sort)
SELECT format('ZF-%s', lpad(((v.n - 1) * 7 + m.n)::text, 3, '0')), 'enforcement',
       format('对%s的%s', v.behaviour, m.measure), v.field, v.dept, 'subdistrict', 1000 + (v.n - 1) * 7 + m.n
  FROM violations_seed v CROSS JOIN measures_seed m;

INSERT INTO power_item_categories (item_id, category_code)
SELECT i.id, c FROM power_items i
  JOIN power_fields_seed f ON i.kind = 'statutory_power' AND i.sort BETWEEN (f.n - 1) * 6 + 1 AND f.n * 6
 CROSS JOIN unnest(f.categories) AS c;

INSERT INTO power_item_categories (item_id, category_code)
SELECT i.id, v.category FROM power_items i
  JOIN violations_seed v ON i.kind = 'enforcement' AND i.sort BETWEEN 1000 + (v.n - 1) * 7 + 1 AND 1000 + v.n * 7;

-- The item a case of each category falls under (statutory powers first), and whether the
-- subdistrict holds the power: every category is listed, with a NULL item when it does not.
CREATE VIEW case_category_powers AS
SELECT cat.code AS category_code,
       (SELECT i.id FROM power_item_categories pc JOIN power_items i ON i.id = pc.item_id
         WHERE pc.category_code = cat.code ORDER BY i.sort LIMIT 1) AS item_id,
       EXISTS (SELECT 1 FROM power_item_categories pc WHERE pc.category_code = cat.code) AS held
  FROM case_categories cat;
