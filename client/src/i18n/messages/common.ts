// Words every screen uses: the product's name, buttons, states of a list or a request.
import { defineMessages } from '../define';

export default defineMessages({
  appName: '网格一张图',
  appNameFull: '恩施市网格一张图',
  synthetic: '模拟数据',
  loading: '加载中…',
  empty: '暂无',
  retry: '重试',
  save: '保存',
  cancel: '取消',
  close: '关闭',
  confirm: '确认',
  language: '语言',
}, {
  appName: 'Grid Atlas',
  appNameFull: 'Enshi Grid Atlas',
  synthetic: 'Synthetic data',
  loading: 'Loading…',
  empty: 'None yet',
  retry: 'Retry',
  save: 'Save',
  cancel: 'Cancel',
  close: 'Close',
  confirm: 'Confirm',
  language: 'Language',
});
