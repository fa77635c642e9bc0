import * as assert from 'assert';
import { TIMELINE_PROTOCOL_VERSION, isWebviewToHost } from '../../src/shared/timelineProtocol';

describe('timeline messages', () => {
  it('the host accepts only well-formed messages from the page', () => {
    assert.ok(isWebviewToHost({ type: 'ready', version: TIMELINE_PROTOCOL_VERSION }));
    assert.ok(isWebviewToHost({ type: 'select', taskId: 3, span: -1 }));
    assert.ok(isWebviewToHost({ type: 'openTrace' }));
    assert.ok(isWebviewToHost({ type: 'exportChrome' }));
    assert.ok(!isWebviewToHost({ type: 'select', taskId: '3', span: 0 }));
    assert.ok(!isWebviewToHost({ type: 'ready' }));
    assert.ok(!isWebviewToHost({ type: 'eval', code: 'x' }));
    assert.ok(!isWebviewToHost(null));
  });
});
