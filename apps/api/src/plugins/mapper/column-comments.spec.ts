import { labelsFromComment } from './column-comments';

describe('labelsFromComment', () => {
  it('splits "Label|Description", a first line from the rest, or uses the comment for both', () => {
    expect(labelsFromComment('Customer name|The customer’s legal name')).toEqual({
      verboseName: 'Customer name',
      description: 'The customer’s legal name',
    });
    expect(labelsFromComment('Amount\nTotal in EUR,\ntax included')).toEqual({
      verboseName: 'Amount',
      description: 'Total in EUR,\ntax included',
    });
    expect(labelsFromComment('  Order number ')).toEqual({
      verboseName: 'Order number',
      description: 'Order number',
    });
    expect(labelsFromComment('|only a description')).toEqual({
      verboseName: 'only a description',
      description: 'only a description',
    });
    expect(labelsFromComment('   ')).toBeNull();
    expect(labelsFromComment('x'.repeat(2000))?.verboseName).toHaveLength(1024);
  });
});
