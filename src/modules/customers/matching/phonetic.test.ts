import { describe, expect, it } from 'vitest';
import { nysiis } from './phonetic.js';

describe('NYSIIS', () => {
  // Reference keys of the original algorithm (no truncation), as published with the jellyfish library's test data.
  const known: [string, string][] = [
    ['Worthy', 'WARTY'], ['Ogata', 'OGAT'], ['montgomery', 'MANTGANARY'], ['Costales', 'CASTAL'], ['Tu', 'T'], ['martincevic', 'MARTANCAFAC'],
    ['Catherine', 'CATARAN'], ['Katherine', 'CATARAN'], ['Katerina', 'CATARAN'], ['Johnathan', 'JANATAN'], ['Jonathan', 'JANATAN'], ['John', 'JAN'],
    ['Teresa', 'TARAS'], ['Theresa', 'TARAS'], ['Jessica', 'JASAC'], ['Joshua', 'JAS'], ['Bosch', 'BAS'], ['Lapher', 'LAFAR'], ['wiyh', 'WY'],
    ['MacArthur', 'MCARTAR'], ['Pheenard', 'FANAD'], ['Schmittie', 'SNATY'], ['Knaqze', 'NAGS'], ['Knokno', 'NAN'], ['Knoko', 'NAC'], ['Macaw', 'MC'],
    ['T', 'T'], ['S', 'S'], ['K', 'C'], ['E', 'E'], ['PFEISTER', 'FASTAR'], ['SARAH', 'SAR'],
  ];
  it.each(known)('%s → %s', (name, key) => {
    expect(nysiis(name)).toBe(key);
  });
  it('gives one key to spellings that sound alike, and none to no letters', () => {
    expect(nysiis('Philips')).toBe(nysiis('Phillips'));
    expect(nysiis('Smith')).not.toBe(nysiis('Jones'));
    expect(nysiis('')).toBe('');
    expect(nysiis("O'Brien")).toBe(nysiis('OBrien'));
  });
});
