"""Hedge, speculation, denial and negation cues in every language of the concept lexicon (issue 16).

Each language: a plain report that a rule flags with no framing, then the same claim hedged
(allegedly / suspected / feared), speculated (perhaps / possibly) and denied, each of which must be
read as that framing kind. The cue words are in flagger/resources/cues.yaml; the sentences were
written for this test. (Persian's denial cues, تکذیب and رد, predate this table.)"""

from __future__ import annotations

import pytest

KINDS = ("hedge", "speculation", "denial")
FRAMINGS = ("hedge:", "speculation:", "denial:", "negation:", "factcheck:", "regime:")

# language: (plain report, hedged, speculated, denied)
CASES = {
 "fi": ("Pohjois-Korea toimitti ammuksia Venäjälle.",
        "Pohjois-Korea toimitti väitetysti ammuksia Venäjälle.",
        "Pohjois-Korea toimitti mahdollisesti ammuksia Venäjälle.",
        "Pohjois-Korea kiisti toimittaneensa ammuksia Venäjälle."),
 "hu": ("Észak-Korea tüzérségi lövedékeket szállított Oroszországnak.",
        "Észak-Korea állítólag tüzérségi lövedékeket szállított Oroszországnak.",
        "Észak-Korea talán tüzérségi lövedékeket szállított Oroszországnak.",
        "Észak-Korea tagadta, hogy tüzérségi lövedékeket szállított Oroszországnak."),
 "sq": ("Koreja e Veriut dërgoi predha në Rusi.",
        "Dyshohet se Koreja e Veriut dërgoi predha në Rusi.",
        "Koreja e Veriut ndoshta dërgoi predha në Rusi.",
        "Koreja e Veriut mohoi se dërgoi predha në Rusi."),
 "sw": ("Korea Kaskazini ilituma makombora Urusi.",
        "Korea Kaskazini inadaiwa ilituma makombora Urusi.",
        "Korea Kaskazini huenda ilituma makombora Urusi.",
        "Korea Kaskazini ilikanusha kwamba ilituma makombora Urusi."),
 "ha": ("Koriya ta Arewa ta aika makamai zuwa Rasha.",
        "Ana zargin Koriya ta Arewa ta aika makamai zuwa Rasha.",
        "Wataƙila Koriya ta Arewa ta aika makamai zuwa Rasha.",
        "Koriya ta Arewa ta musanta cewa ta aika makamai zuwa Rasha."),
 "az": ("Şimali Koreya Rusiyaya mərmilər göndərib.",
        "Güman edilir ki, Şimali Koreya Rusiyaya mərmilər göndərib.",
        "Bəlkə Şimali Koreya Rusiyaya mərmilər göndərib.",
        "Şimali Koreya Rusiyaya mərmilər göndərdiyini təkzib edib."),
 "ka": ("ჩრდილოეთ კორეამ რუსეთს ჭურვები გაგზავნა.",
        "სავარაუდოდ, ჩრდილოეთ კორეამ რუსეთს ჭურვები გაგზავნა.",
        "შესაძლოა ჩრდილოეთ კორეამ რუსეთს ჭურვები გაგზავნა.",
        "ჩრდილოეთ კორეამ უარყო, რომ რუსეთს ჭურვები გაგზავნა."),
 "da": ("Nordkorea har leveret artillerigranater til Rusland.",
        "Nordkorea har angiveligt leveret artillerigranater til Rusland.",
        "Nordkorea har muligvis leveret artillerigranater til Rusland.",
        "Nordkorea afviste at have leveret artillerigranater til Rusland."),
 "no": ("Nord-Korea har levert artillerigranater til Russland.",
        "Nord-Korea har angivelig levert artillerigranater til Russland.",
        "Nord-Korea har muligens levert artillerigranater til Russland.",
        "Nord-Korea benektet at landet har levert artillerigranater til Russland."),
 "hr": ("Sjeverna Koreja isporučila je granate Rusiji.",
        "Sjeverna Koreja navodno je isporučila granate Rusiji.",
        "Sjeverna Koreja možda je isporučila granate Rusiji.",
        "Sjeverna Koreja negirala je da je isporučila granate Rusiji."),
 "sr": ("Северна Кореја је испоручила оружје Русији.",
        "Северна Кореја је наводно испоручила оружје Русији.",
        "Северна Кореја је можда испоручила оружје Русији.",
        "Северна Кореја је негирала да је испоручила оружје Русији."),
 "bg": ("Северна Корея е доставила снаряди на Русия.",
        "Твърди се, че Северна Корея е доставила снаряди на Русия.",
        "Северна Корея може би е доставила снаряди на Русия.",
        "Северна Корея отрече да е доставила снаряди на Русия."),
 "mk": ("Северна Кореја испорача гранати на Русија.",
        "Северна Кореја наводно испорача гранати на Русија.",
        "Северна Кореја можеби испорача гранати на Русија.",
        "Северна Кореја негираше дека испорача гранати на Русија."),
 "el": ("Η Βόρεια Κορέα παρέδωσε πυρομαχικά στη Ρωσία.",
        "Η Βόρεια Κορέα φέρεται να παρέδωσε πυρομαχικά στη Ρωσία.",
        "Η Βόρεια Κορέα ίσως παρέδωσε πυρομαχικά στη Ρωσία.",
        "Η Βόρεια Κορέα αρνήθηκε ότι παρέδωσε πυρομαχικά στη Ρωσία."),
 "lt": ("Šiaurės Korėja pristatė Rusijai sviedinių.",
        "Įtariama, kad Šiaurės Korėja pristatė Rusijai sviedinių.",
        "Šiaurės Korėja galbūt pristatė Rusijai sviedinių.",
        "Šiaurės Korėja neigė, kad pristatė Rusijai sviedinių."),
 "lv": ("Ziemeļkoreja piegādāja Krievijai šāviņus.",
        "Tiek turēts aizdomās, ka Ziemeļkoreja piegādāja Krievijai šāviņus.",
        "Ziemeļkoreja varbūt piegādāja Krievijai šāviņus.",
        "Ziemeļkoreja noliedza, ka piegādāja Krievijai šāviņus."),
 "sk": ("Severná Kórea dodala Rusku delostrelecké granáty.",
        "Severná Kórea údajne dodala Rusku delostrelecké granáty.",
        "Severná Kórea možno dodala Rusku delostrelecké granáty.",
        "Severná Kórea poprela, že dodala Rusku delostrelecké granáty."),
 "ms": ("Korea Utara menghantar peluru kepada Rusia.",
        "Korea Utara disyaki menghantar peluru kepada Rusia.",
        "Korea Utara mungkin menghantar peluru kepada Rusia.",
        "Korea Utara menafikan menghantar peluru kepada Rusia."),
 "bn": ("উত্তর কোরিয়া রাশিয়াকে গোলাবারুদ সরবরাহ করেছে।",
        "উত্তর কোরিয়া কথিত রাশিয়াকে গোলাবারুদ সরবরাহ করেছে।",
        "উত্তর কোরিয়া সম্ভবত রাশিয়াকে গোলাবারুদ সরবরাহ করেছে।",
        "উত্তর কোরিয়া রাশিয়াকে গোলাবারুদ সরবরাহ করার কথা অস্বীকার করেছে।"),
 "ta": ("வட கொரியா ரஷ்யாவுக்கு ஏவுகணைகள் அனுப்பியது.",
        "வட கொரியா ரஷ்யாவுக்கு ஏவுகணைகள் அனுப்பியதாக கூறப்படுகிறது.",
        "ஒருவேளை வட கொரியா ரஷ்யாவுக்கு ஏவுகணைகள் அனுப்பியது.",
        "வட கொரியா ரஷ்யாவுக்கு ஏவுகணைகள் அனுப்பியதை மறுத்துள்ளது."),
 "te": ("ఉత్తర కొరియా రష్యాకు క్షిపణులు పంపింది.",
        "ఉత్తర కొరియా రష్యాకు క్షిపణులు పంపిందని అనుమానిస్తున్నారు.",
        "బహుశా ఉత్తర కొరియా రష్యాకు క్షిపణులు పంపింది.",
        "ఉత్తర కొరియా రష్యాకు క్షిపణులు పంపింది అనే వార్తను ఖండించింది."),
 "ur": ("شمالی کوریا نے روس کو میزائل بھیجے۔",
        "شمالی کوریا نے مبینہ طور پر روس کو میزائل بھیجے۔",
        "شمالی کوریا نے شاید روس کو میزائل بھیجے۔",
        "شمالی کوریا نے تردید کی کہ اس نے روس کو میزائل بھیجے۔"),
 "fa": ("کره شمالی موشک به روسیه ارسال کرد.",
        "کره شمالی ظاهراً موشک به روسیه ارسال کرد.",
        "کره شمالی احتمالاً موشک به روسیه ارسال کرد.",
        None),
 "he": ("צפון קוריאה סיפקה פגזים לרוסיה.",
        "צפון קוריאה סיפקה לכאורה פגזים לרוסיה.",
        "ייתכן שצפון קוריאה סיפקה פגזים לרוסיה.",
        "צפון קוריאה הכחישה כי סיפקה פגזים לרוסיה."),
 "hi": ("उत्तर कोरिया ने रूस को मिसाइल भेजे।",
        "आशंका है कि उत्तर कोरिया ने रूस को मिसाइल भेजे।",
        "उत्तर कोरिया ने शायद रूस को मिसाइल भेजे।",
        "उत्तर कोरिया ने रूस को मिसाइल भेजे जाने से इनकार किया।"),
}


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.mark.parametrize("lang", sorted(CASES))
def test_a_plain_report_is_flagged_unframed(bundled, lang):
    result = bundled.scan_text(CASES[lang][0])
    assert result.level in ("high", "critical"), (result.score, result.contributions)
    assert not any(f in c.note for c in result.contributions for f in FRAMINGS), result.contributions


@pytest.mark.parametrize(("lang", "kind"), [(lang, kind) for lang in sorted(CASES) for kind in KINDS
                                            if CASES[lang][1 + KINDS.index(kind)] is not None])
def test_each_framing_kind_is_read_in_the_language(bundled, lang, kind):
    plain = bundled.scan_text(CASES[lang][0])
    framed = bundled.scan_text(CASES[lang][1 + KINDS.index(kind)])
    assert framed.contributions and framed.contributions[0].note.startswith(kind + ":"), framed.contributions
    assert framed.score < plain.score


# a negated claim: "there is no evidence that ..." in every language above, and the negator before
# the verb in Georgian, Urdu and Hausa (არ, نہیں, ba ... ba)
NEGATED = [
    ('fi', 'Ei todisteita siitä, että Pohjois-Korea toimitti ammuksia Venäjälle.'),
    ('hu', 'Nincs bizonyíték arra, hogy Észak-Korea tüzérségi lövedékeket szállított Oroszországnak.'),
    ('sq', 'Nuk ka prova se Koreja e Veriut dërgoi predha në Rusi.'),
    ('sw', 'Hakuna ushahidi kwamba Korea Kaskazini ilituma makombora Urusi.'),
    ('ha', 'Babu shaida cewa Koriya ta Arewa ta aika makamai zuwa Rasha.'),
    ('az', 'Şimali Koreyanın Rusiyaya mərmilər göndərdiyinə dair heç bir sübut yoxdur.'),
    ('ka', 'ჩრდილოეთ კორეამ რუსეთს ჭურვები არ გაგზავნა.'),
    ('ka', 'მტკიცებულება არ არსებობს, რომ ჩრდილოეთ კორეამ რუსეთს ჭურვები გაგზავნა.'),
    ('da', 'Der er ingen beviser for, at Nordkorea har leveret artillerigranater til Rusland.'),
    ('no', 'Det finnes ingen bevis for at Nord-Korea har levert artillerigranater til Russland.'),
    ('hr', 'Nema dokaza da je Sjeverna Koreja isporučila granate Rusiji.'),
    ('sr', 'Нема доказа да је Северна Кореја испоручила оружје Русији.'),
    ('bg', 'Няма доказателства, че Северна Корея е доставила снаряди на Русия.'),
    ('mk', 'Нема докази дека Северна Кореја испорача гранати на Русија.'),
    ('el', 'Δεν υπάρχουν στοιχεία ότι η Βόρεια Κορέα παρέδωσε πυρομαχικά στη Ρωσία.'),
    ('lt', 'Nėra įrodymų, kad Šiaurės Korėja pristatė Rusijai sviedinių.'),
    ('lv', 'Nav pierādījumu, ka Ziemeļkoreja piegādāja Krievijai šāviņus.'),
    ('sk', 'Neexistujú žiadne dôkazy, že Severná Kórea dodala Rusku delostrelecké granáty.'),
    ('ms', 'Tiada bukti bahawa Korea Utara menghantar peluru kepada Rusia.'),
    ('bn', 'উত্তর কোরিয়া রাশিয়াকে গোলাবারুদ সরবরাহ করেছে এমন কোনো প্রমাণ নেই।'),
    ('ta', 'வட கொரியா ரஷ்யாவுக்கு ஏவுகணைகள் அனுப்பியது என்பதற்கு எந்த ஆதாரமும் இல்லை.'),
    ('te', 'ఉత్తర కొరియా రష్యాకు క్షిపణులు పంపింది అనడానికి ఎలాంటి ఆధారాలు లేవు.'),
    ('ur', 'شمالی کوریا نے روس کو میزائل نہیں بھیجے۔'),
    ('ur', 'اس کا کوئی ثبوت نہیں کہ شمالی کوریا نے روس کو میزائل بھیجے۔'),
    ('ha', 'Koriya ta Arewa ba ta aika makamai zuwa Rasha ba.'),
    ('ha', 'Koriya ta Arewa bata taɓa aika makamai zuwa Rasha ba.'),
]


@pytest.mark.parametrize(("lang", "text"), NEGATED)
def test_a_negated_claim_is_read_as_negation(bundled, lang, text):
    plain = bundled.scan_text(CASES[lang][0])
    negated = bundled.scan_text(text)
    assert negated.contributions and negated.contributions[0].note.startswith("negation:"), negated.contributions
    assert negated.level in ("none", "low") and negated.score < plain.score


# -- each cue is read in its own language (cues.yaml @tags) ------------------------------------------
# A cue word of one language that is an ordinary word in another: read as framing only in its own.
# (language, sentence, the other language's cue word in it)
ORDINARY_ELSEWHERE = [
    ("fa", "کره شمالی در عرض یک ماه موشک به روسیه ارسال کرد.", "عرض"),        # 'within'; ar 'offered'
    ("lv", "Ziemeļkoreja piegādāja Krievijai šāviņus, un osta bija vieta, kur tos iekrāva.", "vieta"),  # 'place'
    ("lt", "Šiaurės Korėja pristatė Rusijai sviedinių, o uostas buvo vieta, kur juos pakrovė.", "vieta"),
    ("id", "Korea Utara mengirim peluru artileri ke Rusia, kata temen saya di Seoul.", "temen"),  # 'friend'
    ("en", "North Korea shipped artillery shells to Russia, dash cam footage from the port shows.", "cam"),  # vi cấm
]

# The same words as cues in their own language, and cues read across languages the detector tells
# one for another (a Norwegian sentence is told Danish, a Croatian one Bosnian).
OWN_LANGUAGE = [
    ("es", "Temen que Corea del Norte haya enviado proyectiles a Rusia.", "hedge"),
    ("vi", "Nghị quyết cấm Triều Tiên chuyển giao tên lửa cho Nga.", "regime"),
    ("no", "Nord-Korea har angivelig levert artillerigranater til Russland.", "hedge"),
    ("hr", "Sjeverna Koreja navodno je isporučila granate Rusiji.", "hedge"),
]


@pytest.mark.parametrize(("lang", "text", "word"), ORDINARY_ELSEWHERE)
def test_a_cue_of_another_language_is_an_ordinary_word_here(bundled, lang, text, word):
    result = bundled.scan_text(text)
    assert result.language == lang
    assert result.level in ("high", "critical"), (word, result.score, result.contributions)
    assert not any(f in c.note for c in result.contributions for f in FRAMINGS), result.contributions


@pytest.mark.parametrize(("lang", "text", "kind"), OWN_LANGUAGE)
def test_a_cue_is_read_in_its_own_language_and_the_ones_told_for_it(bundled, lang, text, kind):
    result = bundled.scan_text(text)
    assert result.contributions and result.contributions[0].note.startswith(kind + ":"), result.contributions


def test_every_cue_is_tagged_with_languages_the_detector_can_tell():
    """A tag the detector never returns (a typo such as @ua, @jp) would silence its cue everywhere
    a language is told. Untagged phrases are the few written alike in every language."""
    import py3langid

    from flagger.resources import cue_phrase, cues

    py3langid.classify("warm up the model")
    told = set(py3langid.langid.IDENTIFIER.nb_classes)
    untagged, unknown = [], []
    for spec in cues().values():
        for entry in [*(spec.get("terms") or ()), *(spec.get("unless") or ())]:
            phrase, tags = cue_phrase(entry)
            unknown += [(phrase, t) for t in tags if t not in told]
            if not tags:
                untagged.append(phrase)
    assert unknown == []
    assert sorted(untagged) == sorted(["absurd", "propaganda", "fake news", "hoax", "resolution 1718",
                                       "resolution 2270", "resolution 2321", "resolution 2375", "resolution 2397"])


@pytest.mark.parametrize("entry", ["reportedly @EN", "@en reportedly", "reportedly @english", "@en"])
def test_a_malformed_language_tag_is_an_error_naming_cues_yaml(entry):
    from flagger.resources import cue_phrase

    with pytest.raises(ValueError, match="cues.yaml"):
        cue_phrase(entry)
