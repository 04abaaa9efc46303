"""Negated transfer verbs in every language of the concept lexicon (issue 16 item 2).

"North Korea did not send shells to Russia" is a denial of the transfer: it must be found as the
transfer it denies and read as negated (a low negation finding), never a confirmed transfer, and
never silently missed either. Languages write the negation differently:
- a negator word before the verb (en not, ru/bg/mk не, sr/hr/bs nije 'is not', ar لا/لم, ka არ ...);
- a negator after the verb (ja ない/なかった, ko 않았다 after the -지 form);
- negation inside the verb word: cs/sk ne- on the l-participle (nedodala), lt/lv ne- on the past
  (nesiuntė, nepiegādāja), Swahili ha- with the negative tense (haikutuma), Persian ن- (نفرستاد),
  Tamil -வில்லை, Telugu -లేదు, Bengali -নি.
The lexicon's `negated_forms` (flagger/rules/lexicon.yaml) derives the inside-the-word forms from
the listed ones, and the negation modifier reads them with cues.yaml's negation.affix. All sentences
were written for this test."""

from __future__ import annotations

from pathlib import Path

import pytest

from flagger.engine.compile import _framing, affix_word
from flagger.errors import RuleError
from flagger.resources import cues
from flagger.rules.lexicon import bundled_lexicon, load_lexicon

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "lexicon"

# (language, "North Korea did not send/deliver (artillery) shells to Russia")
NEGATED = [
    ("en", "North Korea did not send artillery shells to Russia."),
    ("de", "Nordkorea hat keine Artilleriegranaten nach Russland geschickt."),
    ("fr", "La Corée du Nord n'a pas envoyé d'obus d'artillerie à la Russie."),
    ("es", "Corea del Norte no envió proyectiles de artillería a Rusia."),
    ("it", "La Corea del Nord non ha inviato proiettili di artiglieria alla Russia."),
    ("pt", "A Coreia do Norte não enviou projéteis de artilharia para a Rússia."),
    ("pl", "Korea Północna nie wysłała pocisków artyleryjskich do Rosji."),
    ("ru", "Северная Корея не отправляла артиллерийские снаряды в Россию."),
    ("uk", "Північна Корея не відправляла артилерійські снаряди до Росії."),
    ("bg", "Северна Корея не е изпращала артилерийски снаряди на Русия."),
    ("mk", "Северна Кореја не испрати артилериски гранати на Русија."),
    ("sr", "Северна Кореја није испоручила артиљеријске гранате Русији."),
    ("sr", "Severna Koreja nije poslala artiljerijske granate Rusiji."),
    ("hr", "Sjeverna Koreja nije poslala topničke granate Rusiji."),
    ("nl", "Noord-Korea stuurde Rusland geen artilleriegranaten."),
    ("sv", "Nordkorea skickade inte artillerigranater till Ryssland."),
    ("no", "Nord-Korea sendte ikke artillerigranater til Russland."),
    ("da", "Nordkorea sendte ikke artillerigranater til Rusland."),
    ("fi", "Pohjois-Korea ei lähettänyt tykistön ammuksia Venäjälle."),
    ("id", "Korea Utara tidak mengirim peluru artileri ke Rusia."),
    ("ms", "Korea Utara tidak menghantar peluru artileri kepada Rusia."),
    ("vi", "Triều Tiên không gửi đạn pháo cho Nga."),
    ("ro", "Coreea de Nord nu a trimis obuze de artilerie în Rusia."),
    ("hu", "Észak-Korea nem küldött tüzérségi lövedékeket Oroszországnak."),
    ("cs", "Severní Korea neposlala Rusku dělostřelecké granáty."),
    ("cs", "Severní Korea nedodala Rusku dělostřelecké granáty."),
    ("sk", "Severná Kórea neposlala Rusku delostrelecké granáty."),
    ("sk", "Severná Kórea nedodala Rusku delostrelecké granáty."),
    ("el", "Η Βόρεια Κορέα δεν έστειλε πυρομαχικά πυροβολικού στη Ρωσία."),
    ("he", "צפון קוריאה לא שלחה פגזי ארטילריה לרוסיה."),
    ("ar", "كوريا الشمالية لم تقم بإرسال قذائف إلى روسيا."),
    ("fa", "کره شمالی گلوله توپ به روسیه نفرستاد."),
    ("fa", "کره شمالی به روسیه موشک نفروخته است."),
    ("ur", "شمالی کوریا نے روس کو توپ کے گولے نہیں بھیجے۔"),
    ("hi", "उत्तर कोरिया ने रूस को तोप के गोले नहीं भेजे।"),
    ("bn", "উত্তর কোরিয়া রাশিয়াকে কামানের গোলা পাঠায়নি।"),
    ("ta", "வட கொரியா ரஷ்யாவுக்கு பீரங்கி குண்டுகளை அனுப்பவில்லை."),
    ("te", "ఉత్తర కొరియా రష్యాకు ఫిరంగి గుండ్లు పంపలేదు."),
    ("ja", "北朝鮮はロシアに砲弾を送らなかった。"),
    ("ja", "北朝鮮はロシアに砲弾を供与していない。"),
    ("ko", "북한은 러시아에 포탄을 보내지 않았다."),
    ("ko", "북한은 러시아에 포탄을 보내지 않았다고 밝혔다."),
    ("zh", "朝鲜没有向俄罗斯提供炮弹。"),
    ("th", "เกาหลีเหนือไม่ได้ส่งกระสุนปืนใหญ่ให้รัสเซีย"),
    ("tr", "Kuzey Kore Rusya'ya topçu mermisi göndermedi."),
    ("az", "Şimali Koreya Rusiyaya top mərmiləri göndərmədi."),
    ("sw", "Korea Kaskazini haikutuma makombora ya mizinga Urusi."),
    ("sw", "Korea Kaskazini haijapeleka makombora Urusi."),
    ("ha", "Koriya ta Arewa ba ta aika harsasai zuwa Rasha ba."),
    ("lt", "Šiaurės Korėja nesiuntė Rusijai artilerijos sviedinių."),
    ("lt", "Šiaurės Korėja nepristatė Rusijai artilerijos sviedinių."),
    ("lv", "Ziemeļkoreja nenosūtīja Krievijai artilērijas šāviņus."),
    ("lv", "Ziemeļkoreja nepiegādāja Krievijai artilērijas šāviņus."),
    ("ka", "ჩრდილოეთ კორეამ რუსეთს საარტილერიო ჭურვები არ გაუგზავნა."),
    ("sq", "Koreja e Veriut nuk dërgoi predha artilerie në Rusi."),
]

# Other transfer verbs denied (sell, supply, hand over), each a class of its own: cs/sk imperfective
# nedodávala, neprodávala; tr/az the light verb 'teslim etmedi' (-me after two letters) and
# satmadı; ur verb-final 'فروخت نہیں کیے'; hu a verbal prefix split off by the negation
# ('nem adott el'); sv 'sålt' read in Swedish text only (English 'salt'), so 'har inte sålt' is
# negated by 'inte' before it; vi 'bán' with its object ('bán tên lửa'); the verb 'sell'
# in te అమ్మలేదు, ko 팔지 않았다, el δεν πούλησε, th ไม่ได้ขาย.
OTHER_VERBS = [
    ("cs", "Severní Korea nedodávala Rusku žádné granáty."),
    ("cs", "Severní Korea neprodala Rusku dělostřelecké granáty."),
    ("sk", "Severná Kórea nepredala Rusku delostrelecké granáty."),
    ("lt", "Šiaurės Korėja netiekė Rusijai šaudmenų."),
    ("lt", "Šiaurės Korėja nepardavė Rusijai artilerijos sviedinių."),
    ("lv", "Ziemeļkoreja nepārdeva Krievijai artilērijas šāviņus."),
    ("sw", "Korea Kaskazini haikuuza makombora kwa Urusi."),
    ("sw", "Korea Kaskazini haijasafirisha makombora kwenda Urusi."),
    ("fa", "کره شمالی به روسیه موشک نفروخت."),
    ("ta", "வட கொரியா ரஷ்யாவுக்கு ஏவுகணைகளை விற்கவில்லை."),
    ("te", "ఉత్తర కొరియా రష్యాకు క్షిపణులు అమ్మలేదు."),
    ("te", "ఉత్తర కొరియా రష్యాకు క్షిపణులు సరఫరా చేయలేదు."),
    ("ja", "北朝鮮はロシアにミサイルを売却しなかった。"),
    ("ko", "북한은 러시아에 미사일을 팔지 않았다."),
    ("ko", "북한은 러시아에 미사일을 넘기지 않았다."),
    ("tr", "Kuzey Kore Rusya'ya füze satmadı."),
    ("tr", "Kuzey Kore Rusya'ya mühimmat teslim etmedi."),
    ("az", "Şimali Koreya Rusiyaya raket satmayıb."),
    ("hi", "उत्तर कोरिया ने रूस को मिसाइलें नहीं बेचीं।"),
    ("bn", "উত্তর কোরিয়া রাশিয়াকে ক্ষেপণাস্ত্র বিক্রি করেনি।"),
    ("ur", "شمالی کوریا نے روس کو میزائل فروخت نہیں کیے۔"),
    ("he", "צפון קוריאה לא מכרה טילים לרוסיה."),
    ("el", "Η Βόρεια Κορέα δεν πούλησε πυραύλους στη Ρωσία."),
    ("ka", "ჩრდილოეთ კორეას რუსეთისთვის რაკეტები არ მიუყიდია."),
    ("hu", "Észak-Korea nem adott el rakétákat Oroszországnak."),
    ("fi", "Pohjois-Korea ei myynyt ohjuksia Venäjälle."),
    ("ro", "Coreea de Nord nu a vândut rachete Rusiei."),
    ("bg", "Северна Корея не е продавала ракети на Русия."),
    ("sr", "Северна Кореја није продала ракете Русији."),
    ("sq", "Koreja e Veriut nuk i shiti raketa Rusisë."),
    ("ha", "Koriya ta Arewa ba ta sayar da makamai ga Rasha ba."),
    ("vi", "Triều Tiên không bán tên lửa cho Nga."),
    ("th", "เกาหลีเหนือไม่ได้ขายขีปนาวุธให้รัสเซีย"),
    ("id", "Korea Utara tidak menjual rudal ke Rusia."),
    ("sv", "Nordkorea har inte sålt robotar till Ryssland."),
    ("no", "Nord-Korea har ikke solgt raketter til Russland."),
    ("pl", "Korea Północna nie sprzedała Rosji rakiet."),
    ("ru", "Северная Корея не продавала ракеты России."),
    ("zh", "朝鲜从未向俄罗斯出售导弹。"),
]

# The same verbs affirmed, where the vocabulary had to learn the verb form for the negation above
# (imperfective bg изпраща, mk испраќа; ka გაუგზავნა 'sent to it'; hi feminine plural भेजीं; fa
# فروخت 'sold'; ja 送り込んだ 'sent in'; te పంపించింది; the affirmative of every derived form).
AFFIRMED = [
    ("bg", "Северна Корея изпраща артилерийски снаряди на Русия."),
    ("mk", "Северна Кореја испраќа артилериски гранати на Русија."),
    ("sr", "Severna Koreja je poslala artiljerijske granate Rusiji."),
    ("cs", "Severní Korea poslala Rusku dělostřelecké granáty."),
    ("sk", "Severná Kórea dodala Rusku delostrelecké granáty."),
    ("lt", "Šiaurės Korėja siuntė Rusijai artilerijos sviedinių."),
    ("lv", "Ziemeļkoreja nosūtīja Krievijai artilērijas šāviņus."),
    ("sw", "Korea Kaskazini ilituma makombora ya mizinga Urusi."),
    ("fa", "کره شمالی به روسیه موشک فروخت."),
    ("hi", "उत्तर कोरिया ने रूस को मिसाइलें भेजीं।"),
    ("bn", "উত্তর কোরিয়া রাশিয়াকে কামানের গোলা পাঠিয়েছে।"),
    ("ta", "வட கொரியா ரஷ்யாவுக்கு பீரங்கி குண்டுகளை அனுப்பியது."),
    ("te", "ఉత్తర కొరియా రష్యాకు ఫిరంగి గుండ్లు పంపించింది."),
    ("ja", "北朝鮮はロシアに砲弾を送り込んだ。"),
    ("ko", "북한은 러시아에 포탄을 보냈다."),
    ("ka", "ჩრდილოეთ კორეამ რუსეთს საარტილერიო ჭურვები გაუგზავნა."),
    ("ur", "شمالی کوریا نے روس کو توپ کے گولے بھیجے۔"),
    ("tr", "Kuzey Kore Rusya'ya füze sattı."),
    ("tr", "Kuzey Kore Rusya'ya mühimmat teslim etti."),
    ("ur", "شمالی کوریا نے روس کو میزائل فروخت کیے۔"),
    ("hu", "Észak-Korea rakétákat adott el Oroszországnak."),
    ("sv", "Nordkorea har sålt robotar till Ryssland."),
    ("vi", "Triều Tiên đã bán tên lửa cho Nga."),
    ("ko", "북한은 러시아에 미사일을 팔았다."),
    ("el", "Η Βόρεια Κορέα πούλησε πυραύλους στη Ρωσία."),
    ("te", "ఉత్తర కొరియా రష్యాకు క్షిపణులు అమ్మింది."),
]

# A visit negated inside the verb (cs nenavštívil, sw hakutembelea; negated_forms also derive the
# visit concept's forms): the defence-visit rule is read as negated.
NEGATED_VISITS = [
    ("cs", "Ministr obrany Severní Koreje nenavštívil Moskvu kvůli vojenské spolupráci."),
    ("sw", "Waziri wa ulinzi wa Korea Kaskazini hakutembelea Moscow kwa mazungumzo ya ushirikiano wa kijeshi."),
]

# A yes/no question is speculation, like English 'whether' (ar هل, fa آیا): a headline asking
# whether North Korea sent shells is not a confirmed transfer.
QUESTIONS = [
    ("ar", "هل أرسلت كوريا الشمالية قذائف إلى روسيا؟"),
    ("fa", "آیا کره شمالی موشک به روسیه ارسال کرد؟"),
]

# Negators that are ordinary words after a given word stay ordinary there (ar لا سيما 'especially').
NOT_NEGATED = [
    ("ar", "لا سيما أن كوريا الشمالية أرسلت قذائف إلى روسيا."),
]

# Spellings the lexicon lists itself (not derived) because the negated verb is not a regular change
# of a listed form: each must still be read as negated by its language's affix pattern.
LISTED_NEGATED = {
    "bn": ["পাঠায়নি", "পাঠাননি"],
    "ta": ["அனுப்பவில்லை", "வழங்கவில்லை", "விற்கவில்லை"],
    "te": ["పంపలేదు", "పంపలేదని", "పంపించలేదు", "అందించలేదు"],
}

# How a derived wildcard form ends in running text, per language (cs/sk l-participle endings)
ENDINGS = {"cs": ["", "a", "o", "i", "y"], "sk": ["", "a", "o", "i", "y"]}


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.fixture(scope="module")
def framing():
    return _framing(cues())


def negation_first(result) -> bool:
    return bool(result.contributions) and result.contributions[0].note.startswith("negation:")


def test_the_denial_is_written_in_every_language_of_the_lexicon():
    assert {lang for lang, _ in NEGATED} == set(bundled_lexicon().languages())


@pytest.mark.parametrize(("lang", "text"), NEGATED + OTHER_VERBS)
def test_a_transfer_denied_by_negation_is_a_low_negated_finding(bundled, lang, text):
    result = bundled.scan_text(text)
    assert "dprk.arms.export" in result.rules, (lang, result.rules)
    assert negation_first(result), result.contributions
    assert result.level == "low", (result.level, result.score)


@pytest.mark.parametrize(("lang", "text"), AFFIRMED)
def test_the_same_verb_affirmed_is_a_confirmed_transfer(bundled, lang, text):
    result = bundled.scan_text(text)
    assert result.level in ("high", "critical"), (result.score, result.contributions)
    assert not any(c.note.startswith(("negation:", "speculation:")) for c in result.contributions)


@pytest.mark.parametrize(("lang", "text"), NEGATED_VISITS)
def test_a_visit_denied_inside_the_verb_is_negated(bundled, lang, text):
    result = bundled.scan_text(text)
    assert "milcoop.defence_visits" in result.rules
    assert negation_first(result) and result.level in ("none", "low"), (result.level, result.contributions)


@pytest.mark.parametrize(("lang", "text"), QUESTIONS)
def test_a_yes_no_question_is_speculation(bundled, lang, text):
    result = bundled.scan_text(text)
    assert result.contributions and result.contributions[0].note.startswith("speculation:")
    assert result.level not in ("high", "critical"), (result.score, result.contributions)


@pytest.mark.parametrize(("lang", "text"), NOT_NEGATED)
def test_a_negator_before_a_not_before_word_negates_nothing(bundled, lang, text):
    result = bundled.scan_text(text)
    assert result.level in ("high", "critical") and not negation_first(result), result.contributions


def test_every_derived_negated_form_is_read_as_negated(framing):
    """A derived spelling the affix pattern did not read would be found as a confirmed transfer."""
    lexicon = bundled_lexicon()
    derived = [(lang, t.text) for c in lexicon.concepts.values() for lang, ts in c.negated.items() for t in ts]
    assert {lang for lang, _ in derived} >= {"cs", "sk", "lt", "lv", "sw", "fa"}
    unread = []
    for lang, spelling in derived:
        pattern, unless = framing.affix_negation(lang)
        words = ([spelling.rstrip("*") + e for e in ENDINGS[lang]] if spelling.endswith("*") else [spelling])
        unread += [(lang, w) for w in words
                   if pattern is None or affix_word(w) in unless or not pattern.fullmatch(affix_word(w))]
    assert unread == []


@pytest.mark.parametrize("lang", sorted(LISTED_NEGATED))
def test_listed_negated_spellings_are_terms_and_read_as_negated(framing, lang):
    transfer = {t.text for t in bundled_lexicon().concepts["transfer"].terms[lang]}
    pattern, unless = framing.affix_negation(lang)
    for word in LISTED_NEGATED[lang]:
        assert word in transfer
        assert affix_word(word) not in unless and pattern.fullmatch(affix_word(word)), word


def test_negated_forms_derive_spellings_in_the_concepts_named():
    lexicon = load_lexicon(FIX / "negated_forms.yaml")
    ship, town = lexicon.concepts["ship"], lexicon.concepts["town"]
    assert [t.text for t in ship.negated["cs"]] == ["nedodal*", "neposlal*"]      # not the noun dodávk*
    assert [t.text for t in ship.negated["sw"]] == ["haikutuma", "hawakutuma"]
    assert town.negated == {}                                                    # not Kreml*: not named
    assert [t.text for t in ship.spellings("cs")] == ["dodal*", "dodávk*", "poslal*", "nedodal*", "neposlal*"]
    assert lexicon.coverage()["ship"]["cs"] == 3                                 # coverage counts listed terms


@pytest.mark.parametrize(("name", "words"), [
    ("bad_negated_regex.yaml", "bad regular expression"),
    ("bad_negated_group.yaml", "refers to a group"),
    ("bad_negated_concept.yaml", "unknown concept(s) ['shipping']"),
    ("bad_negated_shape.yaml", "a rewrite is {form: regex"),
    ("bad_negated_wildcard.yaml", "a wildcard is a trailing '*'"),
])
def test_a_bad_rewrite_names_the_lexicon_file_and_line(name, words):
    with pytest.raises(RuleError) as err:
        load_lexicon(FIX / name)
    assert f"{name}:7" in str(err.value) and words in str(err.value)
