import { parseJsonAnswer, type JsonSchemaObject } from './llm-json';

const schema: JsonSchemaObject = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string', enum: ['PASS', 'FAIL'] } },
};

describe('parseJsonAnswer', () => {
  it('accepts a matching object, also inside a ```json fence', () => {
    expect(parseJsonAnswer('{"status":"PASS"}', schema)).toEqual({
      ok: true,
      value: { status: 'PASS' },
    });
    expect(parseJsonAnswer('```json\n{"status":"FAIL"}\n```', schema)).toEqual({
      ok: true,
      value: { status: 'FAIL' },
    });
  });

  it('says why an answer is refused', () => {
    expect(parseJsonAnswer('', schema)).toEqual({ ok: false, error: 'the answer is empty' });
    expect(parseJsonAnswer('Sure! PASS', schema)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^it is not JSON/),
    });
    expect(parseJsonAnswer('{"status":"MAYBE"}', schema)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/does not match the schema: \/status must be equal to one of/),
    });
    expect(parseJsonAnswer('{"status":"PASS","x":1}', schema)).toMatchObject({ ok: false });
  });
});
