import { track } from '@miniscope/sdk';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useGoodsShare } from '../../share';

const PRICE = 199;

export default function Goods() {
  const sku = useRouter().params.sku || 'A1';
  useGoodsShare(`Goods ${sku}`);
  return (
    <View>
      <Text>
        {sku}: ¥{PRICE}
      </Text>
      <Button onClick={() => track('add_to_cart', { sku, price: PRICE, vip: false })}>Add to cart</Button>
      <Button onClick={() => Taro.navigateTo({ url: '/pages/cart/index' })}>Cart</Button>
    </View>
  );
}
