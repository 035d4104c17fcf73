import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import { useSending } from './sending';

describe('useSending', () => {
  it('check gives the data, or null with the first complaint in Chinese', () => {
    const s = useSending();
    expect(s.check({ success: true, data: 7 })).toBe(7);
    expect(s.error.value).toBeNull();
    expect(s.check({ success: false, error: { issues: [{ message: '请填写说明 (note is required)' }, { message: '别的' }] } })).toBeNull();
    expect(s.error.value).toBe('请填写说明');
    expect(s.check({ success: false, error: { issues: [] } })).toBeNull();
    expect(s.error.value).toBe('输入无效');
  });

  it('send is busy while the work runs and turns a failure into a line for people', async () => {
    const s = useSending();
    let seenBusy = false;
    await s.send(async () => {
      seenBusy = s.busy.value;
    });
    expect(seenBusy).toBe(true);
    expect(s.busy.value).toBe(false);
    expect(s.error.value).toBeNull();
    await s.send(() => Promise.reject(new Error('Failed to fetch')));
    expect(s.busy.value).toBe(false);
    expect(s.error.value).toBe('操作未能完成，请稍后重试');
    await s.send(() => Promise.reject(new ApiError('409', '/api/cases/1/actions', 409, '案件已被他人更新 (changed by someone else)')));
    expect(s.error.value).toBe('案件已被他人更新');
  });
});
