/**
 * The Vant components the dashboard uses, each imported with its own style only (not the whole
 * library), so a screen's bundle holds only what it shows.
 */
import 'vant/es/button/style/index';
import 'vant/es/calendar/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';
import 'vant/es/checkbox/style/index';
import 'vant/es/dialog/style/index';
import 'vant/es/empty/style/index';
import 'vant/es/field/style/index';
import 'vant/es/icon/style/index';
import 'vant/es/loading/style/index';
import 'vant/es/nav-bar/style/index';
import 'vant/es/popup/style/index';
import 'vant/es/skeleton/style/index';
import 'vant/es/swipe-cell/style/index';
import 'vant/es/tab/style/index';
import 'vant/es/tabbar/style/index';
import 'vant/es/tabbar-item/style/index';
import 'vant/es/tabs/style/index';
import 'vant/es/tag/style/index';
import 'vant/es/toast/style/index';

export {
  Button as VanButton,
  Calendar as VanCalendar,
  Cell as VanCell,
  CellGroup as VanCellGroup,
  Checkbox as VanCheckbox,
  Empty as VanEmpty,
  Field as VanField,
  Icon as VanIcon,
  Loading as VanLoading,
  NavBar as VanNavBar,
  Popup as VanPopup,
  Skeleton as VanSkeleton,
  SwipeCell as VanSwipeCell,
  showConfirmDialog,
  showFailToast,
  showSuccessToast,
  showToast,
  Tab as VanTab,
  Tabbar as VanTabbar,
  TabbarItem as VanTabbarItem,
  Tabs as VanTabs,
  Tag as VanTag,
} from 'vant';
