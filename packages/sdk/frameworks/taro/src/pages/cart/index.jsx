import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';

export default function Cart() {
  useDidShow(() => {
    // WeChat's own analysis call (Taro.reportAnalytics is wx.reportAnalytics): recorded by the SDK too
    Taro.reportAnalytics('view_cart', { items: 1 });
  });
  return (
    <View>
      <Text>Your cart</Text>
    </View>
  );
}
