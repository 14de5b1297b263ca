/**
 * ECharts, only the parts the dashboard draws (line and bar charts on a grid, with tooltip and
 * legend, on canvas): `echarts/core` plus modules, never the whole library. Loaded on demand by
 * EChart.vue, so the login screen does not carry it.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export { init };
