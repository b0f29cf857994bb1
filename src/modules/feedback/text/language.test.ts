import { describe, expect, it } from 'vitest';
import { guessLanguage } from './index.js';

describe('guessLanguage', () => {
  it.each([
    ['en', 'The delivery was late and nobody answered my emails.'],
    ['en', 'I love the coffee here, the staff are always friendly.'],
    ['fr', "Le café était froid et le personnel n'est pas très aimable."],
    ['fr', 'Livraison rapide, je suis très content de ma commande.'],
    ['de', 'Die Lieferung kam zu spät und der Kaffee war nicht heiß.'],
    ['de', 'Sehr freundliches Personal, ich komme gerne wieder.'],
    ['es', 'El pedido llegó tarde y el servicio fue muy lento.'],
    ['es', 'Me encanta este café, el personal es muy amable.'],
    ['nl', 'De bezorging was te laat en de koffie was koud.'],
    ['nl', 'Heel vriendelijk personeel, ik kom zeker terug.'],
  ])('reads %s: %s', (lang, text) => {
    expect(guessLanguage(text)).toBe(lang);
  });

  it('says unknown for text too short or without any known function words', () => {
    expect(guessLanguage('Great!')).toBe('unknown');
    expect(guessLanguage('Top service')).toBe('unknown');
    expect(guessLanguage('xyzzy plugh frobnicate qwerty')).toBe('unknown');
    expect(guessLanguage('')).toBe('unknown');
  });
});
