import { Text, View } from '@tarojs/components';

export default function Cart() {
  return (
    <View>
      <Text>Your cart</Text>
    </View>
  );
}
