/**
 * The sankey chart of 路径分析, registered on demand: only the paths screen loads this chunk, so the
 * other chart screens do not carry it (ECharts' core is shared with charts/echarts.ts).
 */
import { SankeyChart } from 'echarts/charts';
import { use } from 'echarts/core';

use([SankeyChart]);
