/**
 * WeChat's access sources (访问来源, wechat-analytics.md §3.4): source key → name → scene values.
 * Any scene not listed, or an open whose `open` event never arrived (scene 0), is key 10 其他.
 */

export const OTHER_SOURCE = 10;

/** [key, name, scenes]; copied as data from the official table. */
const SOURCES: ReadonlyArray<readonly [number, string, readonly number[]]> = [
  [1, '小程序历史列表', [1001, 1002, 1004]],
  [2, '搜索', [1005, 1006, 1027, 1042, 1053, 1106, 1108, 1132]],
  [3, '会话', [1007, 1008, 1044, 1093, 1094, 1096]],
  [4, '扫一扫二维码', [1011, 1025, 1047, 1105, 1124, 1150]],
  [5, '公众号主页', [1020]],
  [6, '聊天顶部', [1022]],
  [7, '系统桌面', [1023, 1113, 1114, 1117]],
  [8, '小程序主页', [1024, 1135]],
  [9, '附近的小程序', [1026, 1033, 1068]],
  [10, '其他', []],
  [11, '模板消息', [1014, 1043, 1107, 1162]],
  [12, '客服消息', [1021]],
  [13, '公众号菜单', [1035, 1102, 1130]],
  [14, 'APP分享', [1036]],
  [15, '支付完成页', [1034, 1060, 1072, 1097, 1109, 1137, 1149]],
  [16, '长按识别二维码', [1012, 1048, 1050, 1125]],
  [17, '相册选取二维码', [1013, 1049, 1126]],
  [18, '公众号文章', [1058, 1091]],
  [19, '钱包', [1019, 1057, 1061, 1066, 1070, 1071]],
  [20, '卡包', [1028, 1128, 1148]],
  [21, '小程序内卡券', [1029, 1062]],
  [22, '其他小程序', [1037]],
  [23, '其他小程序返回', [1038]],
  [24, '卡券适用门店列表', [1052]],
  [25, '搜索框快捷入口', [1054]],
  [26, '小程序客服消息', [1073, 1081]],
  [27, '公众号下发', [1074, 1076, 1082, 1152]],
  [28, '系统会话菜单', [1080, 1083, 1088]],
  [29, '任务栏-最近使用', [1089]],
  [30, '长按小程序菜单圆点', [1085, 1090, 1147]],
  [31, '连wifi成功页', [1064, 1078]],
  [32, '城市服务', [1092]],
  [33, '微信广告', [1045, 1046, 1067, 1084, 1095]],
  [34, '其他移动应用', [1065, 1069, 1111, 1140]],
  [35, '发现入口-我的小程序', [1003, 1103]],
  [36, '任务栏-我的小程序', [1104]],
  [37, '微信圈子', [1138, 1163]],
  [38, '手机充值', [1098]],
  [39, 'H5', [1018, 1055]],
  [40, '插件', [1040, 1041, 1099]],
  [41, '大家在用', [1118, 1145]],
  [42, '发现页', [1112, 1141, 1142, 1143]],
  [43, '浮窗', [1131]],
  [44, '附近的人', [1075, 1134]],
  [45, '看一看', [1115]],
  [46, '朋友圈', [1009, 1110, 1154, 1155]],
  [47, '企业微信', [1119, 1120, 1121, 1122, 1123, 1156]],
  [48, '视频', [1136, 1144]],
  [49, '收藏', [1010]],
  [50, '微信红包', [1100]],
  [51, '微信游戏中心', [1079, 1127]],
  [52, '摇一摇', [1039, 1077]],
  [53, '公众号导购消息', [1157]],
  [54, '识物', [1153]],
  [55, '小程序订单', [1151]],
  [56, '小程序直播', [1161]],
  [57, '群工具', [1158, 1159, 1160]],
];

export const SOURCE_NAMES: ReadonlyMap<number, string> = new Map(SOURCES.map(([key, name]) => [key, name]));

/** A source key's name (the key itself when it has none). */
export const sourceName = (key: number): string => SOURCE_NAMES.get(key) ?? String(key);

const SCENE_TO_SOURCE: ReadonlyMap<number, number> = new Map(
  SOURCES.flatMap(([key, , scenes]) => scenes.map((scene) => [scene, key] as const)),
);

/** The source key of a scene value. */
export function sourceOfScene(scene: number): number {
  return SCENE_TO_SOURCE.get(scene) ?? OTHER_SOURCE;
}

/** The scenes listed under a source key (empty for 10 其他, which is "everything else"). */
export function scenesOfSource(key: number): readonly number[] {
  return SOURCES.find(([k]) => k === key)?.[2] ?? [];
}

/**
 * A ClickHouse expression mapping a scene expression to its source key. The arrays are constants of
 * this module (never request values), so they are written into the SQL as literals.
 */
export function sourceKeySql(sceneExpr: string): string {
  const scenes = [...SCENE_TO_SOURCE.keys()];
  const keys = scenes.map((s) => SCENE_TO_SOURCE.get(s)!);
  return `transform(toUInt16(${sceneExpr}), [${scenes.join(',')}], [${keys.join(',')}], ${OTHER_SOURCE})`;
}
