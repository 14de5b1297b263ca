import { useShareAppMessage, useShareTimeline } from '@tarojs/taro';

/**
 * Sharing for pages that show goods, to chat and to Moments. Taro's React plugin turns share on by
 * itself only for pages whose own file calls the share hooks: a page using this hook must say
 * enableShareAppMessage and enableShareTimeline in its config, or WeChat never calls the handlers.
 */
export function useGoodsShare(title) {
  useShareAppMessage(() => ({ title }));
  useShareTimeline(() => ({ title }));
}
