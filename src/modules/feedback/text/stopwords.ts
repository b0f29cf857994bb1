/**
 * Stop-word profiles per language: the most frequent function words, written here so that
 * nothing is downloaded at run time. Used for the language guess and to trim key phrases.
 * To add a language, add its list here; `guessLanguage` picks it up.
 */
export const STOP_WORDS = {
  en: `a about above after again against all am an and any are aren't as at be because been before being below between both but by
    can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
    have haven't having he her here hers herself him himself his how i i'm i've i'd i'll if in into is isn't it it's its itself just let's
    me more most my myself no nor not of off on once only or other our ours ourselves out over own same she should shouldn't so some such
    than that that's the their theirs them themselves then there there's these they they're this those through to too under until up
    very was wasn't we we're we've were weren't what when where which while who whom why will with won't would wouldn't you you're you've
    your yours yourself also got get really still even much many every always usually already yet though however`,
  fr: `au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi mon ne nos notre nous on ou
    par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l à m n s t y été était très est sont
    suis ai avons avez ont fait cette cet plus comme tout tous bien aussi encore chez sans`,
  de: `aber alle als also am an auch auf aus bei bin bis bist da damit dann das dass dein deine dem den der des dich die dir doch du ein
    eine einem einen einer es für hat hatte ich ihr im in ist ja kein keine mein meine mich mir mit nach nicht noch nur ob oder sehr sich
    sie sind so über um und uns unser von vor war waren was weil wenn wie wir wird zu zum zur schon immer wurde wurden habe haben`,
  es: `a al algo como con de del el ella ellos en era es esta este esto fue ha han hay la las le les lo los me mi muy más nada ni no nos
    o para pero por porque que se sin sobre su sus también te tiene todo tu un una uno y ya yo está están estaba pedido muy son fue`,
  nl: `aan al alles als bij dan dat de der deze die dit doch door een en er had heb hebben heeft het hij hoe hun ik in is ja je kan maar
    me men met mij mijn na naar niet niets nog nu of om ons ook op over te tegen toch tot u uit van veel voor want was wat we wel werd
    wij worden zal ze zei zelf zich zij zijn zo zonder erg heel geen`,
} as const satisfies Record<string, string>;

export type StopWordLanguage = keyof typeof STOP_WORDS;

const toSet = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));

export const STOP_SETS: Record<StopWordLanguage, ReadonlySet<string>> = {
  en: toSet(STOP_WORDS.en),
  fr: toSet(STOP_WORDS.fr),
  de: toSet(STOP_WORDS.de),
  es: toSet(STOP_WORDS.es),
  nl: toSet(STOP_WORDS.nl),
};
