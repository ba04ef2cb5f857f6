import { describe, expect, it } from 'vitest';
import { Catalog, transliterate } from '../src/transliteration/catalog.js';
import { parseTable, type Target } from '../src/transliteration/format.js';

const catalog = Catalog.load();

function convert(language: string, target: Target, text: string): string {
  const conversion = catalog.conversion(language, target);
  if (!conversion) throw new Error(`no ${language} ${target}`);
  return transliterate(conversion, text);
}

/** Golden cases per conversion: every letter (lower and upper case), the digraphs and contexts, real sentences. */
const GOLDEN: Record<string, [input: string, output: string][]> = {
  'kk:ipa': [
    [
      'а ә ё и о ө ұ ү ы і э ю я б в г ғ д ж з й к қ л м н ң п р с т ф х һ ц ч ш щ ь',
      'ɑ æ jo ɪj o ɵ ʊ ʏ ə ɪ e jʊw jɑ b v ɡ ʁ d ʒ z j k q l m n ŋ p r s t f χ h t͡s t͡ʃ ʃ ɕː ʲ',
    ],
    [
      'А Ә Ё И О Ө Ұ Ү Ы І Э Ю Я Б В Г Ғ Д Ж З Й К Қ Л М Н Ң П Р С Т Ф Х Һ Ц Ч Ш Щ Ь',
      'ɑ æ jo ɪj o ɵ ʊ ʏ ə ɪ e jʊw jɑ b v ɡ ʁ d ʒ z j k q l m n ŋ p r s t f χ h t͡s t͡ʃ ʃ ɕː ʲ',
    ],
    ['Мен кітап оқып жатырмын.', 'men kɪtɑp oqəp ʒɑtərmən.'],
    ['ел мен тау, ту, съезд', 'jel men tɑw, tʊw, sjezd'],
    ['Қазақстан Республикасы', 'qɑzɑqstɑn respʊwblɪjkɑsə'],
    ['Азия, Ия, сиюжет', 'ɑzɪjɑ, ɪjɑ, sɪjʊwʒet'],
  ],
  'kk:latin': [
    [
      'а ә б в г ғ д е ё ж з и й к қ л м н ң о ө п р с т у ұ ү ф х һ ц ч ш щ ы і э ю я',
      'a ä b v g ğ d e io j z i i k q l m n ñ o ö p r s t u ū ü f h h ts ç ş şç y ı e iu ia',
    ],
    [
      'А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ы І Э Ю Я',
      'A Ä B V G Ğ D E İo J Z İ İ K Q L M N Ñ O Ö P R S T U Ū Ü F H H Ts Ç Ş Şç Y I E İu İa',
    ],
    ['Қазақстан Республикасы', 'Qazaqstan Respublikasy'],
    ['ШАХ Шах Щи ЩИ Ян ЯН', 'ŞAH Şah Şçi ŞÇİ İan İAN'],
    ['объект, съезд', 'obekt, sezd'],
    [
      'Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен қазысының үйіне келіп қоныпты.',
      'Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ üiıne kelıp qonypty.',
    ],
    ['Kazakhstan (Қазақстан) 2021', 'Kazakhstan (Qazaqstan) 2021'],
  ],
  'ky:ipa': [
    [
      'а ё и о ө у ү ы э ю я б в г д ж з й к л м н ң п р с т ф х ц ч ш щ ь',
      'ɑ jo i o ø u y ɯ e ju jɑ b v ɡ d d͡ʒ z j k l m n ŋ p r s t f x t͡s t͡ʃ ʃ ɕː ʲ',
    ],
    ['аа ээ ии оо өө уу үү ыы', 'ɑː eː iː oː øː uː yː ɯː'],
    ['Кыргызстан сулуу', 'kɯrɡɯzstɑn suluː'],
    ['ЕЛ, ие, келе', 'jel, ije, kele'],
    ['Мен китеп окуп жатам.', 'men kitep okup d͡ʒɑtɑm.'],
  ],
  'ky:latin': [
    [
      'а б в г д ё ж з и й к л м н ң о ө п р с т у ү ф х ц ч ш щ ы э ю я',
      'a b v g d yo j z i y k l m n ñ o ö p r s t u ü f h ts ç ş şç ı e yu ya',
    ],
    [
      'А Б В Г Д Ё Ж З И Й К Л М Н Ң О Ө П Р С Т У Ү Ф Х Ц Ч Ш Щ Ы Э Ю Я',
      'A B V G D Yo J Z İ Y K L M N Ñ O Ö P R S T U Ü F H Ts Ç Ş Şç I E Yu Ya',
    ],
    ['Кыргыз Республикасы, Ысык-Көл', 'Kırgız Respublikası, Isık-Köl'],
    ['Ер, келе, ие', 'Yer, kele, iye'],
  ],
  'uz:latin': [
    [
      'а б в г д ё ж з и й к л м н о п р с т у ф х ц ч ш ъ э ю я ў қ ғ ҳ',
      'a b v g d yo j z i y k l m n o p r s t u f x ts ch sh ʼ e yu ya oʻ q gʻ h',
    ],
    [
      'А Б В Г Д Ё Ж З И Й К Л М Н О П Р С Т У Ф Х Ц Ч Ш Э Ю Я Ў Қ Ғ Ҳ',
      'A B V G D Yo J Z I Y K L M N O P R S T U F X Ts Ch Sh E Yu Ya Oʻ Q Gʻ H',
    ],
    ['Ўзбекистон Республикаси', 'Oʻzbekiston Respublikasi'],
    ['ер, бое, съезд, мактаб', 'yer, boye, sʼyezd, maktab'],
    ['ШАҲАР Шаҳар', 'SHAHAR Shahar'],
    ['Toshkent ва Самарқанд', 'Toshkent va Samarqand'],
  ],
  'uz:ipa': [
    ['a b d e f g h i j k l m n o p q r s t u v x y z', 'a b d e f ɡ h i d͡ʒ k l m n ɔ p q r s t u v χ j z'],
    ['A B D E F G H I J K L M N O P Q R S T U V X Y Z', 'a b d e f ɡ h i d͡ʒ k l m n ɔ p q r s t u v χ j z'],
    ["oʻ o' o‘ o’ gʻ g' g‘ g’ sh ch ng maʼno", 'o o o o ʁ ʁ ʁ ʁ ʃ t͡ʃ ŋ maʔnɔ'],
    ['Men kitob oʻqiyapman.', 'men kitɔb oqijapman.'],
    ["Men kitob o'qiyapman.", 'men kitɔb oqijapman.'],
    ['gʻisht oʻqish choy', 'ʁiʃt oqiʃ t͡ʃɔj'],
    ['Ўзбекистон', 'ozbekistɔn'],
    ['Toshkent ва Самарқанд', 'tɔʃkent va samarqand'],
  ],
  'tr:ipa': [
    ['a â b c ç d e f g h ı i î j k l m n o ö p r s ş t u û ü v y z', 'a aː b d͡ʒ t͡ʃ d e f ɡ h ɯ i iː ʒ k l m n o ø p ɾ s ʃ t u uː y v j z'],
    ['A Â B C Ç D E F G H I İ Î J K L M N O Ö P R S Ş T U Û Ü V Y Z', 'a aː b d͡ʒ t͡ʃ d e f ɡ h ɯ i iː ʒ k l m n o ø p ɾ s ʃ t u uː y v j z'],
    ['dağ Ağa değil soğuk ğ', 'daː aːa deːil soːuk '],
    ['İSTANBUL Istanbul', 'istanbul ɯstanbul'],
    ['(Bir) Kitap okuyorum.', '(biɾ) kitap okujoɾum.'],
    ['Teşekkür ederim, değil mi?', 'teʃekkyɾ edeɾim, deːil mi?'],
    ['Nasılsınız? İyi günler', 'nasɯlsɯnɯz? iji ɡynleɾ'],
  ],
  'az:ipa': [
    [
      'a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z',
      'ɑ b d͡ʒ t͡ʃ d e æ f ɟ ɣ h x ɯ i ʒ k ɡ l m n o œ p ɾ s ʃ t u y v j z',
    ],
    [
      'A B C Ç D E Ə F G Ğ H X I İ J K Q L M N O Ö P R S Ş T U Ü V Y Z',
      'ɑ b d͡ʒ t͡ʃ d e æ f ɟ ɣ h x ɯ i ʒ k ɡ l m n o œ p ɾ s ʃ t u y v j z',
    ],
    ['(Mən) Kitab oxuyuram.', '(mæn) kitɑb oxujuɾɑm.'],
    [
      'Şimal yeli ilə Günəş mübahisə edirdilər ki, hansı daha güclüdür.',
      'ʃimɑl jeli ilæ ɟynæʃ mybɑhisæ ediɾdilæɾ ki, hɑnsɯ dɑhɑ ɟyd͡ʒlydyɾ.',
    ],
    ['Азәрбајҹан', 'ɑzæɾbɑjd͡ʒɑn'],
  ],
  'az:latin': [
    ['а б в г ғ д е ә ж з и ы ј к ҝ л м н о ө п р с т у ү ф х һ ч ҹ ш', 'a b v q ğ d e ə j z i ı y k g l m n o ö p r s t u ü f x h ç c ş'],
    ['А Б В Г Ғ Д Е Ә Ж З И Ы Ј К Ҝ Л М Н О Ө П Р С Т У Ү Ф Х Һ Ч Ҹ Ш', 'A B V Q Ğ D E Ə J Z İ I Y K G L M N O Ö P R S T U Ü F X H Ç C Ş'],
    ['Азәрбајҹан Республикасы', 'Azərbaycan Respublikası'],
    ['Бакы вə Gəncə', 'Bakı və Gəncə'],
  ],
  'ug:ipa': [
    [
      'ا ە و ۇ ۆ ۈ ې ى ب پ ت ج چ خ د ر ز ژ س ش غ ف ق ك گ ڭ ل م ن ھ ۋ ي ء ع ح',
      'ɑ æ o u ø y e i b p t d͡ʒ t͡ʃ χ d r z ʒ s ʃ ʁ f q k ɡ ŋ l m n h w j ʔ ʕ ħ',
    ],
    ['مەن كىتاب ئوقۇۋاتىمەن.', 'mæn kitɑb oquwɑtimæn.'],
    ['ئۇيغۇرچە، ھەقىقەت؟', 'ujʁurt͡ʃæ, hæqiqæt?'],
    ['مائارىپ', 'mɑʔɑrip'],
    ['مُحَمَّد', 'mħmd'],
  ],
  'ug:latin': [
    [
      'ا ە و ۇ ۆ ۈ ې ى ب پ ت ج چ خ د ر ز ژ س ش غ ف ق ك گ ڭ ل م ن ھ ۋ ي',
      'a e o u ö ü ë i b p t j ch x d r z zh s sh gh f q k g ng l m n h w y',
    ],
    ['سلام ئۇيغۇر', 'slam uyghur'],
    ['مائارىپ', "ma'arip"],
    ['سەنگە ئىسھاق', "sen'ge is'haq"],
    ['ئۇيغۇرچە، ھەقىقەت؟', 'uyghurche, heqiqet?'],
  ],
  'tt:ipa': [
    [
      'а ә ё и о ө у ү ы э ю я б в г д ж җ з й к л м н ң п р с т ф х һ ц ч ш щ ъ ь',
      'ɑ æ jo i o ø u y ɤ e ju jɑ b v ɡ d ʒ ʑ z j k l m n ŋ p r s t f χ h t͡s ɕ ʃ ɕː ʔ ʲ',
    ],
    ['Мин китап укыйм.', 'min kitɑp ukɤjm.'],
    ['тау, яуган, ел, бүген', 'tɑw, jɑwɡɑn, jel, byɡen'],
  ],
  'tt:latin': [
    [
      'ә б в д ё ж җ з и й л м н ң о ө п р с т у ү ф х һ ц ч ш щ ы э ю я',
      'ä b v d yo j c z i y l m n ñ o ö p r s t u ü f x h ts ç ş şç ı e yu ya',
    ],
    [
      'Ә Б В Д Ё Ж Җ З И Й Л М Н Ң О Ө П Р С Т У Ү Ф Х Һ Ц Ч Ш Щ Ы Э Ю Я',
      'Ä B V D Yo J C Z İ Y L M N Ñ O Ö P R S T U Ü F X H Ts Ç Ş Şç I E Yu Ya',
    ],
    ['кызык, ак, кеше, гади, углан, тавык', 'qızıq, aq, keşe, ğadi, uğlan, tawıq'],
    ['Татарстан, мәгънә, Ел', 'Tatarstan, mägʼnä, Yel'],
  ],
  'tk:ipa': [
    ['a b ç d e ä f g h i j ž k l m n ň o ö p r s ş t u ü w y ý z', 'a b t͡ʃ d e æ f ɡ h i d͡ʒ ʒ k l m n ŋ o ø p r θ ʃ t u y w ɯ j ð'],
    ['A B Ç D E Ä F G H I J Ž K L M N Ň O Ö P R S Ş T U Ü W Y Ý Z', 'a b t͡ʃ d e æ f ɡ h i d͡ʒ ʒ k l m n ŋ o ø p r θ ʃ t u y w ɯ j ð'],
    ['Men kitap okaýaryn.', 'men kitap okajarɯn.'],
    ['Türkmenistan', 'tyrkmeniθtan'],
  ],
  'fi:ipa': [
    ['a b c d e f g h i j k l m n o p q r s t u v w x y z å ä ö š ž', 'ɑ b k d e f ɡ h i j k l m n o p k r s t u ʋ ʋ ks y ts o æ ø ʃ ʒ'],
    ['aa ee ii oo uu yy ää öö kk pp tt ss ll mm nn rr', 'ɑː eː iː oː uː yː æː øː kː pː tː sː lː mː nː rː'],
    ['Luen kirjaa.', 'luen kirjɑː.'],
    ['Kenkä ankka NK kengän', 'keŋkæ ɑŋkːɑ ŋk keŋːæn'],
    ["vaa'an xylo shampoo ole hyvä", 'ʋɑːʔɑn ksylo ʃɑmpoː ole hyʋæ'],
    ['Oi maamme, Suomi, synnyinmaa,', 'oi mɑːmːe, suomi, synːyinmɑː,'],
  ],
};

describe('golden transliterations', () => {
  for (const [key, cases] of Object.entries(GOLDEN)) {
    const [language = '', target = ''] = key.split(':');
    it.each(cases)(`${key}: %s`, (input, output) => {
      expect(convert(language, target as Target, input)).toBe(output);
    });
  }

  it('covers every conversion of the catalogue', () => {
    const conversions = catalog.describe().flatMap((info) => Object.keys(info.targets).map((target) => `${info.code}:${target}`));
    expect(Object.keys(GOLDEN).sort()).toEqual(conversions.sort());
  });
});

describe('engine behaviour', () => {
  it('normalises decomposed input and output to NFC', () => {
    expect(convert('tr', 'ipa', 'S\u0327eker')).toBe('ʃekeɾ'); // ş as s + combining cedilla
    expect(convert('kk', 'latin', 'Ә').normalize('NFD')).not.toBe(convert('kk', 'latin', 'Ә'));
  });

  it('passes other scripts, digits, punctuation and emoji through unchanged', () => {
    expect(convert('kk', 'latin', 'Алма 🍎 apple 42!')).toBe('Alma 🍎 apple 42!');
    expect(convert('kk', 'ipa', 'Алма 🍎 Apple 42!')).toBe('ɑlmɑ 🍎 apple 42!');
  });

  it('uses Turkic dotted and dotless i in case mapping', () => {
    expect(convert('az', 'ipa', 'IĞDIR İĞDİR')).toBe('ɯɣdɯɾ iɣdiɾ');
    expect(convert('kk', 'latin', 'ИІ')).toBe('İI');
  });

  it('lower-cases context-dependent and astral characters as the locale does', () => {
    expect(convert('tr', 'ipa', 'I\u0307 İ ΣΑΣ 𐐀')).toBe('i i σας 𐐨'); // final sigma, Deseret capital
    expect(convert('kk', 'ipa', 'ΟΔΟΣ Σ 𐐀𐐨 İ Щщщ')).toBe('οδοσ σ 𐐨𐐨 İ ɕːɕːɕː'); // İ keeps its length outside Turkic locales
    expect(convert('fi', 'ipa', 'İIii ΣΑΣ')).toBe('İiːi σασ');
    expect(convert('kk', 'latin', 'ΟΔΟΣ 𐐀 İ ЩЩЩ')).toBe('ΟΔΟΣ 𐐀 İ ŞÇŞÇŞÇ');
  });

  it('gives the same result for a text alone and after much longer or shorter texts', () => {
    const sentence = 'Щи мен Шах, Азия.';
    const alone = convert('kk', 'ipa', sentence);
    expect(convert('kk', 'ipa', sentence.repeat(5000))).toBe(alone.repeat(5000));
    expect(convert('kk', 'ipa', sentence)).toBe(alone);
    expect(convert('kk', 'latin', 'щщщ'.repeat(3000))).toBe('şç'.repeat(9000));
  });

  it('prefers the longest source, then the most specific context', () => {
    expect(convert('fi', 'ipa', 'nkk')).toBe('ŋkː');
    expect(convert('ky', 'ipa', 'уу')).toBe('uː');
    expect(convert('uz', 'latin', 'Ер ер мер')).toBe('Yer yer mer');
  });

  it('refuses a rules file whose script or target the service does not know, naming the file and line', () => {
    const header = (script: string, target: string) => `@standard test\n@language kk\n@script ${script}\n@target ${target}\nа > a\n`;
    expect(parseTable('ok', header('Cyrl', 'latin'))).toMatchObject({ script: 'Cyrl', target: 'latin' });
    expect(() => parseTable('bad', header('Cyrillic', 'latin'))).toThrow(
      'bad.rules line 3: @script must be one of Latn, Cyrl, Arab, not "Cyrillic"',
    );
    expect(() => parseTable('bad', header('Cyrl', 'IPA'))).toThrow('bad.rules line 4: @target must be one of ipa, latin, not "IPA"');
    expect(() => parseTable('bad', '@standard test\n@language kk\n@target ipa\n')).toThrow('bad.rules line 0: missing @script directive');
  });
});
