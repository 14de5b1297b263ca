import { Button, Text, View } from '@tarojs/components';
import Taro, { useShareAppMessage } from '@tarojs/taro';

export default function Index() {
  useShareAppMessage(() => ({ title: 'Miniscope shop' }));
  return (
    <View>
      <Text>Today's goods</Text>
      <Button onClick={() => Taro.navigateTo({ url: '/pages/goods/index?sku=A1' })}>A1, ¥199</Button>
    </View>
  );
}
