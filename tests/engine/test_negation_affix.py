"""Negation written into the verb (issue 16): Turkish and Azerbaijani -ma/-me (göndermedi,
göndərməyib), Swahili ha- prefixes (haijawahi), Persian ن- (نکرد), Bengali -নি (করেনি), Tamil
-வில்லை, Telugu -లేదు, Czech/Slovak/Lithuanian/Latvian ne- (nezahájila, nevykdė, neveica), and the verb-final negators of Japanese (していない, せず) and Korean
(않았다, 못). The patterns are data: negation.affix in flagger/resources/cues.yaml, one per
language, read only when the article is in that language. The sentences were written for this
test; the frequent-word list is wordfreq's (tests/fixtures/cues/affix_negated_frequent.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flagger.engine.compile import _framing, affix_word
from flagger.resources import cues

FRAMINGS = ("hedge:", "speculation:", "denial:", "negation:", "factcheck:", "regime:")
FREQUENT = Path(__file__).resolve().parent.parent / "fixtures" / "cues" / "affix_negated_frequent.yaml"

# language: (plain report, [the same claim negated, "did not" and "never"])
CASES = {
    "tr": ("Kuzey Kore Rusya'ya topçu mermisi gönderdi.",
           ["Kuzey Kore Rusya'ya topçu mermisi göndermedi.",
            "Kuzey Kore Rusya'ya hiçbir zaman topçu mermisi göndermedi.",
            "Bakanlık, Kuzey Kore'nin Rusya'ya topçu mermisi göndermediğini açıkladı.",
            "Kuzey Kore Rusya'ya topçu mermisi göndermiyor."]),
    "az": ("Şimali Koreya Rusiyaya mərmilər göndərib.",
           ["Şimali Koreya Rusiyaya mərmilər göndərməyib.",
            "Şimali Koreya heç vaxt Rusiyaya mərmilər göndərmədi.",
            "Şimali Koreya Rusiyaya mərmilər göndərmir."]),
    "sw": ("Korea Kaskazini ilisafirisha makombora Urusi.",
           ["Korea Kaskazini haijawahi kusafirisha makombora Urusi.",
            "Korea Kaskazini haikuweza kusafirisha makombora Urusi."]),
    "fa": ("کره شمالی موشک به روسیه ارسال کرد.",
           ["کره شمالی موشک به روسیه ارسال نکرد.",
            "کره شمالی هرگز موشک به روسیه ارسال نکرده است.",
            "کره شمالی موشک به روسیه ارسال نمی‌کند."]),
    "bn": ("উত্তর কোরিয়া রাশিয়াকে গোলাবারুদ সরবরাহ করেছে।",
           ["উত্তর কোরিয়া রাশিয়াকে গোলাবারুদ সরবরাহ করেনি।",
            "উত্তর কোরিয়া কখনও রাশিয়াকে গোলাবারুদ সরবরাহ করে না।"]),
    "ta": ("வட கொரியா ரஷ்யாவுக்கு ஏவுகணைகள் அனுப்பியது.",
           ["வட கொரியா ரஷ்யாவுக்கு ஏவுகணைகளை விநியோகம் செய்யவில்லை.",
            "வட கொரியா ஒருபோதும் ரஷ்யாவுக்கு ஏவுகணைகளை விநியோகம் செய்யவில்லை."]),
    "te": ("ఉత్తర కొరియా రష్యాకు క్షిపణులు పంపింది.",
           ["ఉత్తర కొరియా రష్యాకు క్షిపణులు సరఫరా చేయలేదు.",
            "ఉత్తర కొరియా ఎప్పుడూ రష్యాకు క్షిపణులు సరఫరా చేయలేదు."]),
    "ja": ("北朝鮮はロシアに砲弾を供与した。",
           ["北朝鮮はロシアに砲弾を供与していない。",
            "北朝鮮はロシアに砲弾を一度も供与しなかった。",
            "北朝鮮はロシアに砲弾を供与せず、"]),
    "cs": ("Severní Korea dodala Rusku dělostřelecké granáty.",
           ["Severní Korea nezahájila dodávky granátů do Ruska.",
            "Severní Korea nikdy nezahájila dodávky granátů do Ruska."]),
    "sk": ("Severná Kórea dodala Rusku delostrelecké granáty.",
           ["Severná Kórea nezačala dodávky delostreleckých granátov do Ruska."]),
    "lt": ("Šiaurės Korėja pristatė Rusijai sviedinių.",
           ["Šiaurės Korėja nevykdė sviedinių tiekimo Rusijai.",
            "Šiaurės Korėja niekada nepradėjo sviedinių tiekimo Rusijai."]),
    "lv": ("Ziemeļkoreja piegādāja Krievijai šāviņus.",
           ["Ziemeļkoreja neveica šāviņu piegādes Krievijai.",
            "Ziemeļkoreja nekad neuzsāka šāviņu piegādes Krievijai."]),
    "hi": ("उत्तर कोरिया ने रूस को मिसाइल की आपूर्ति की।",
           ["उत्तर कोरिया ने रूस को मिसाइल की आपूर्ति न करने का फैसला किया।"]),
    "id": ("Korea Utara mengirim peluru artileri ke Rusia.",
           ["Korea Utara tak pernah mengirim peluru artileri ke Rusia."]),
    "ms": ("Korea Utara menghantar peluru kepada Rusia.",
           ["Korea Utara tak menghantar peluru kepada Rusia."]),
    "ko": ("북한은 러시아에 포탄을 공급했다.",
           ["북한은 러시아에 포탄을 공급하지 않았다.",
            "북한은 러시아에 포탄을 공급하지 못했다.",
            "북한은 러시아에 포탄을 못 보냈다."]),
}

# Negated verbs the transfer vocabulary reaches only through its negated forms (lexicon.yaml
# negated_forms: haikutuma, نفرستاد, nedodala; listed: அனுப்பவில்லை, పంపలేదు, 送ら, 보내지): found as
# the transfer they deny, and read as negated.
NEGATED_FORMS = [
    ("sw", "Korea Kaskazini haikutuma makombora Urusi."),
    ("fa", "کره شمالی موشک به روسیه نفرستاد."),
    ("ta", "வட கொரியா ஒருபோதும் ரஷ்யாவுக்கு ஏவுகணைகள் அனுப்பவில்லை."),
    ("te", "ఉత్తర కొరియా ఎప్పుడూ రష్యాకు క్షిపణులు పంపలేదు."),
    ("ja", "北朝鮮はロシアに砲弾を送らなかった。"),
    ("ko", "북한은 러시아에 포탄을 한 번도 보내지 않았다."),
    ("cs", "Severní Korea nedodala Rusku dělostřelecké granáty."),
]

# Plain reports with a word that merely contains the affix letters, or a negated verb in another
# sentence or clause: nothing is negated.
PLAIN = [
    ("tr", "Kuzey Kore, beklenmedik bir adımla Rusya'ya topçu mermisi gönderdi."),
    ("tr", "Kuzey Kore Rusya'ya topçu mermisi göndermekte."),
    ("tr", "Kuzey Kore Rusya'ya topçu mermisi göndermeden önce bir anlaşma imzaladı."),
    ("tr", "Bakanlık yorum yapmadı. Kuzey Kore Rusya'ya topçu mermisi gönderdi."),
    ("tr", "Kuzey Kore Rusya'ya topçu mermisi gönderdi. Bakanlık yorum yapmadı."),
    ("az", "Vladimir Putin bildirib ki, Şimali Koreya Rusiyaya mərmilər göndərib."),
    ("sw", "Korea Kaskazini iko hatarini baada ya kusafirisha makombora Urusi."),
    ("fa", "کره شمالی برای نیروهای روسیه موشک ارسال کرد."),
    ("fa", "وزارت خارجه پاسخی نداد. کره شمالی موشک به روسیه ارسال کرد."),
    ("bn", "উত্তর কোরিয়া তার নাগরিকদের মাধ্যমে রাশিয়াকে গোলাবারুদ সরবরাহ করেছে।"),
    ("bn", "খামেনি বলেছেন, উত্তর কোরিয়া রাশিয়াকে গোলাবারুদ সরবরাহ করেছে।"),
    ("ko", "북한은 러시아에 포탄을 공급했다. 일본은 공급하지 않았다."),
    ("cs", "Severní Korea v neděli dodala Rusku dělostřelecké granáty."),
    ("hi", "उत्तर कोरिया ने न केवल रूस को मिसाइल की आपूर्ति की बल्कि सैनिक भी भेजे।"),     # not only
    ("id", "Tak lama kemudian Korea Utara mengirim peluru artileri ke Rusia."),         # soon after
    ("ha", "Koriya ta Arewa ba tare da jinkiri ta aika makamai zuwa Rasha."),           # without delay
    ("id", "Korea Utara tak hanya mengirim peluru artileri ke Rusia tetapi juga pasukan."),  # not only
    ("lt", "Šiaurės Korėja netikėto žingsnio metu pristatė Rusijai sviedinių."),
    ("en", "The ministry did not comment. North Korea shipped shells to Russia."),
]

# language: (negated verb forms the pattern reads, words with the same letters it must not read)
WORDS = {
    "tr": (["göndermedi", "gönderilmedi", "göndermemiş", "göndermiyor", "göndermeyecek", "göndermediğini",
            "GÖNDERMEDİ", "satmadı", "vermemektedir"],
           ["gönderdi", "göndermek", "göndermekte", "göndermeden", "gönderilmesi", "anlaşmadır", "uygulamadır",
            "komedi", "namaz", "Yılmaz", "beklenmedik", "görülmemiş"]),
    "az": (["göndərmədi", "göndərməyib", "göndərmir", "göndərməyəcək", "satmayıb"],
           ["göndərib", "göndərdi", "göndərmək", "Vladimir", "dəmir", "Kəşmir", "təmir", "yağmur"]),
    "sw": (["haikutuma", "hawajapeleka", "hatutauza", "hakusafirisha", "haijawahi"],
           ["habari", "hali", "hadi", "hata", "hasa", "hatari", "hatarini", "haki", "hakika", "hatua", "hazina",
            "haja", "ilituma"]),
    "fa": (["نکرد", "نکرده", "نفرستاد", "نداده", "نفروخت", "نیست", "نمی\u200cکند", "نکرده\u200cاست", "نمی\u200cفرستد"],
           ["نفت", "نظامی", "نیرو", "نام", "نشان", "ارسال", "کرد"]),
    "bn": (["করেনি", "পাঠায়নি", "দেয়নি", "না"],
           ["তিনি", "আপনি", "খনি", "রানি", "নাম", "নাগরিক", "ইয়েমেনি", "খামেনি", "করেছে"]),
    "ta": (["அனுப்பவில்லை", "வழங்கவில்லை", "அனுப்பமாட்டோம்", "இல்லை"],
           ["அனுப்பியது", "வழங்கியது", "வில்லை", "இல்லாத"]),
    "te": (["పంపలేదు", "చేయలేదు", "పంపలేదని", "పంపకపోయింది", "లేదు"],
           ["పంపింది", "చేసింది", "లేదా"]),
    "cs": (["nedodala", "neposlal", "neprodali", "nebyly", "není"],
           ["dodala", "neděli", "nepřítel", "několik", "nedávno", "největší", "nemocnice", "nebo"]),
    "sk": (["nedodala", "neposlali", "nepredal"], ["dodala", "nezmysel", "niekoľko", "nedávno"]),
    "lt": (["nepristatė", "nesiuntė", "neperdavė", "nepardavė", "nevykdė"],
           ["pristatė", "nekilnojamojo", "netikėto", "nepriklausomybė", "nelaimė", "nedidelė", "nemuno"]),
    "lv": (["nepiegādāja", "nenosūtīja", "nepārdeva", "neveica", "nevarēs"],
           ["piegādāja", "nedēļa", "nedēļās", "nelegālās", "neatkarīgās", "nelielās"]),
}


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.fixture(scope="module")
def framing():
    return _framing(cues())


def unframed(result) -> bool:
    return not any(f in c.note for c in result.contributions for f in FRAMINGS)


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, (_p, ts) in CASES.items() for t in ts])
def test_a_verb_negated_by_its_affix_is_read_as_negation(bundled, lang, text):
    plain = bundled.scan_text(CASES[lang][0])
    assert plain.level in ("high", "critical") and unframed(plain), (plain.score, plain.contributions)
    negated = bundled.scan_text(text)
    assert negated.language == lang
    assert negated.contributions and negated.contributions[0].note.startswith("negation:"), negated.contributions
    assert negated.level in ("none", "low") and negated.score < plain.score


@pytest.mark.parametrize(("lang", "text"), NEGATED_FORMS)
def test_a_negated_form_of_a_transfer_verb_is_a_negated_transfer(bundled, lang, text):
    result = bundled.scan_text(text)
    assert result.rules, "the negated verb is found as the transfer it denies"
    assert result.contributions[0].note.startswith("negation:"), result.contributions
    assert result.level in ("none", "low") and result.score < bundled.scan_text(CASES[lang][0]).score


@pytest.mark.parametrize(("lang", "text"), PLAIN)
def test_look_alike_words_and_negations_elsewhere_leave_a_plain_report_unframed(bundled, lang, text):
    result = bundled.scan_text(text)
    assert result.level in ("high", "critical") and unframed(result), (result.score, result.contributions)


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_each_pattern_reads_negated_forms_and_not_their_look_alikes(framing, lang):
    pattern, unless = framing.affix_negation(lang)
    negated, plain = WORDS[lang]

    def reads(word):
        w = affix_word(word)
        return w not in unless and pattern.fullmatch(w) is not None

    assert [w for w in negated if not reads(w)] == []
    assert [w for w in plain if reads(w)] == []


def test_every_exception_is_a_word_its_pattern_would_take(framing):
    """An affix_except word that the pattern does not match anyway is dead data."""
    for lang, pattern, unless in framing.affix:
        assert [w for w in unless if not pattern.fullmatch(w)] == [], lang


def test_an_affix_is_read_only_in_its_own_language(framing):
    assert framing.affix_negation("en") == (None, frozenset())
    assert framing.affix_negation("") == (None, frozenset())
    assert framing.affix_negation("tr")[0].fullmatch("göndermedi")


@pytest.mark.parametrize("lang", ["tr", "fa", "bn", "ta", "cs", "sk", "lt", "lv", "hi"])
def test_the_frequent_words_a_pattern_reads_are_all_reviewed_negated_forms(framing, lang):
    """wordfreq's most frequent words of the language that the pattern takes are the reviewed
    negated forms of the fixture: no ordinary frequent word reads as a negated verb."""
    wordfreq = pytest.importorskip("wordfreq")
    reviewed = yaml.safe_load(FREQUENT.read_text(encoding="utf-8"))[lang]
    pattern, unless = framing.affix_negation(lang)
    taken = [w for w in map(affix_word, wordfreq.top_n_list(lang, reviewed["top"]))
             if w not in unless and pattern.fullmatch(w)]
    assert taken, "the pattern reads none of the language's frequent negated verbs"
    assert sorted(set(taken) - set(reviewed["words"])) == []


@pytest.mark.parametrize(("affix", "message"), [
    ({"tr": ["(unclosed"]}, "negation.affix.tr: bad pattern"),
    ({"tr": "göndermedi"}, "negation.affix.tr: expected a list of patterns"),
])
def test_a_bad_affix_entry_names_cues_yaml_and_the_language(affix, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        _framing({"negation": {"terms": ["no evidence"], "affix": affix}})


def test_an_exception_for_a_language_without_a_pattern_is_an_error():
    with pytest.raises(ValueError, match="affix_except names languages without a pattern"):
        _framing({"negation": {"affix": {"tr": [".+medi"]}, "affix_except": {"az": ["x"]}}})
