import {
  httpError,
  isRetryable,
  loginRefused,
  supersetMessage,
  transportError,
  SupersetError,
} from './superset-errors';

describe('Superset errors as sentences', () => {
  it('reads every error body shape Superset uses', () => {
    expect(supersetMessage({ message: 'Not found' })).toBe('Not found');
    expect(supersetMessage({ msg: 'Token has expired' })).toBe('Token has expired');
    expect(supersetMessage({ errors: [{ message: 'a' }, { message: 'b' }] })).toBe('a; b');
    expect(supersetMessage({ message: { columns: { 0: { verbose_name: ['Too long'] } } } })).toBe(
      'columns.0.verbose_name: Too long',
    );
    expect(supersetMessage({})).toBeUndefined();
  });

  it('names the Superset, the call and the status; never the query', () => {
    expect(
      httpError('https://bi.example', 'GET', '/api/v1/dataset/7?q=(x:1)', 404, {
        message: 'Not found',
      }).message,
    ).toBe('Superset at https://bi.example answered 404 to GET /api/v1/dataset/7: Not found');
    expect(
      loginRefused('https://bi.example', 'alice', 401, { message: 'Not authorized' }).message,
    ).toBe("Superset at https://bi.example refused the login for user 'alice' (401)");
  });

  it('turns transport failures into sentences and lets an abort through', () => {
    const refused = transportError(
      'http://x',
      'GET',
      '/a',
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' },
      1000,
    );
    expect((refused as Error).message).toBe(
      'Superset at http://x cannot be reached (connect ECONNREFUSED 127.0.0.1:9)',
    );
    expect(isRetryable(refused)).toBe(true);
    const tls = transportError(
      'https://x',
      'GET',
      '/a',
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      1000,
    );
    expect((tls as SupersetError).kind).toBe('tls');
    expect(isRetryable(tls)).toBe(false);
    const slow = transportError(
      'http://x',
      'GET',
      '/a?q=1',
      { code: 'UND_ERR_HEADERS_TIMEOUT' },
      2500,
    );
    expect((slow as Error).message).toBe('Superset at http://x did not answer GET /a within 2.5 s');
    const abort = new DOMException('aborted', 'AbortError');
    expect(transportError('http://x', 'GET', '/a', abort, 1000)).toBe(abort);
    expect(isRetryable(httpError('http://x', 'GET', '/a', 503, null))).toBe(true);
    expect(isRetryable(httpError('http://x', 'GET', '/a', 422, null))).toBe(false);
  });
});
