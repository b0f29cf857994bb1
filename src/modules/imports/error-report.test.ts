import { describe, expect, it } from 'vitest';
import { errorReportFromRows } from './error-report.js';

describe('the downloadable error report', () => {
  it('keeps a spreadsheet from running a customer-typed cell as a formula', () => {
    const csv = errorReportFromRows([
      { line: 2, field: 'email', value: '=HYPERLINK("http://evil.example","x")', reason: 'must be an e-mail address' },
      { line: 3, field: 'total', value: '-12,5', reason: 'a decimal comma needs --decimal ,' },
      { line: 4, field: 'name', value: 'Ada', reason: 'fine' },
    ]);
    expect(csv.split('\n')[0]).toBe('line,field,value,reason');
    expect(csv).toContain(`2,email,"'=HYPERLINK(""http://evil.example"",""x"")",must be an e-mail address`);
    expect(csv).toContain(`3,total,"'-12,5",`);
    expect(csv).toContain('4,name,Ada,fine');
  });
});
