import type { JsonSchema } from '@taskdeck/contracts';
import { fieldsOf, initialValues, requiredFor, toParams } from './params-schema';

const schema: JsonSchema = {
  type: 'object',
  required: ['action'],
  properties: {
    action: { type: 'string', enum: ['emit', 'sleep'], title: 'Action' },
    count: { type: 'integer', minimum: 1, maximum: 1000, title: 'Count' },
    sources: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      maxItems: 3,
      default: ['debug'],
    },
    ratio: { type: 'number', maximum: 1 },
    verbose: { type: 'boolean' },
    note: { type: 'string', maxLength: 5 },
  },
  allOf: [{ if: { properties: { action: { const: 'emit' } } }, then: { required: ['count'] } }],
};

describe('params-schema', () => {
  it('turns properties into typed fields with labels', () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.name, f.kind, f.label])).toEqual([
      ['action', 'enum', 'Action'],
      ['count', 'integer', 'Count'],
      ['sources', 'string-list', 'Sources'],
      ['ratio', 'number', 'Ratio'],
      ['verbose', 'boolean', 'Verbose'],
      ['note', 'string', 'Note'],
    ]);
  });

  it('starts from defaults and the first option of a required enum', () => {
    expect(initialValues(schema)).toEqual({
      action: 'emit',
      count: '',
      sources: 'debug',
      ratio: '',
      verbose: false,
      note: '',
    });
  });

  it('applies conditional requirements for the chosen values', () => {
    expect([...requiredFor(schema, { action: 'emit' })].sort()).toEqual(['action', 'count']);
    expect([...requiredFor(schema, { action: 'sleep' })]).toEqual(['action']);
  });

  it('reports every kind of error with the field label', () => {
    expect(
      toParams(schema, {
        action: 'emit',
        count: '',
        sources: '',
        ratio: '',
        verbose: false,
        note: '',
      }).errors,
    ).toEqual({
      count: 'Count is required',
    });
    const { errors } = toParams(schema, {
      action: 'emit',
      count: '2.5',
      sources: 'a,b,c,d',
      ratio: '3',
      verbose: false,
      note: 'toolong',
    });
    expect(errors).toEqual({
      count: 'Count must be a whole number',
      sources: 'Sources takes at most 3 items',
      ratio: 'Ratio must be at most 1',
      note: 'Note must have at most 5 characters',
    });
    expect(toParams(schema, { action: 'emit', count: '0' }).errors['count']).toBe(
      'Count must be at least 1',
    );
    expect(toParams(schema, { action: 'nope', count: '1' }).errors['action']).toBe(
      'Action must be one of emit, sleep',
    );
  });

  it('converts valid values to params and leaves empty optional fields to the server', () => {
    const result = toParams(schema, {
      action: 'emit',
      count: ' 40 ',
      sources: 'alpha, beta,',
      ratio: '',
      verbose: true,
      note: '',
    });
    expect(result.errors).toEqual({});
    expect(result.params).toEqual({
      action: 'emit',
      count: 40,
      sources: ['alpha', 'beta'],
      verbose: true,
    });
  });
});
