## Еске салулар мен хабарламалар (issue 5): өтініш иелеріне, лауазымды тұлғаларға, қабылдау бөлмесінің қызметкерлеріне.

## Өтініш иесіне: жазылуды растау, еске салулар (R7, R10)

reminder-where-place = Орны: { $place }.
reminder-where-video = Қабылдау бейнебайланыс арқылы өтеді, қосылу сілтемесі: { $link }
reminder-bring-self = Өзіңізбен бірге жеке басыңызды куәландыратын құжатты алыңыз.
reminder-bring-representative = Өзіңізбен бірге жеке басыңызды куәландыратын құжатты және { $principal } атынан өкілдік етуге сенімхатты немесе өкілеттігіңізді растайтын басқа құжатты алыңыз.
reminder-booked-details =
    { $number } өтініші бойынша қабылдау туралы ({ $official }, { $when }):
    { $where }
    { $bring }
reminder-calendar-attached = Күнтізбеңізге арналған файл тіркелді.
reminder-calendar-summary = Жеке қабылдау: { $official }
reminder-calendar-description = { $number } өтініші. { $bring }
reminder-day-before =
    Еске саламыз: { $weekday }, { $when } — { $official } сізді { $number } өтініші бойынша жеке қабылдауға күтеді.
    { $where }
    { $bring }
reminder-hours-before =
    { $hours } сағаттан кейін (сағат { $time }) { $official } сізді { $number } өтініші бойынша жеке қабылдауға күтеді.
    { $where }
    { $bring }

## Өтініш иесіне: қабылдауды ауыстыру (R12) және бағалау (R29)

reminder-slot-offer = { $official } қабылдауының бос уақыттары ({ $number } өтініші). Өзіңізге ыңғайлысын таңдаңыз — бір басқаннан кейін жазыласыз.
reminder-slot-offer-none = { $official } қабылдауында әзірге бос уақыт жоқ. { $number } өтініші кезекте қалады: қабылдау бөлмесінің қызметкерлері жаңа күнін хабарлайды.
reminder-slot-offer-closed = Бұл өтініш бойынша уақыт таңдау енді қажет емес.
reminder-slot-chosen = Жаңа уақытты таңдадыңыз. Растау келесі хабарламада келеді.
reminder-satisfaction-ask = { $number } өтініші бойынша қабылдау қалай өтті? 1-ден (нашар) 5-ке (өте жақсы) дейін бағалаңызшы.
reminder-satisfaction-thanks = Бағаңызға рахмет! Қаласаңыз, не ұнағанын немесе нені жақсарту керек екенін бір хабарламамен жазыңыз.
reminder-satisfaction-skip = Пікірсіз
reminder-satisfaction-comment-thanks = Рахмет, пікіріңіз сақталды.

error-slot-offer-closed = Бұл өтініш бойынша жаңа уақыт таңдау енді қажет емес.
error-satisfaction-score = 1-ден 5-ке дейінгі бағаны таңдаңыз.
error-satisfaction-not-attended = Тек өткен қабылдауды бағалауға болады.
error-satisfaction-comment-empty = Пікіріңізді мәтінмен жазыңыз немесе «Пікірсіз» түймесін басыңыз.

## Лауазымды тұлғаға: қабылдауға жазылғандар тізімі (R25), таңертеңгі қысқаша мәлімет, өзгерістер

reminder-daylist-title = Жеке қабылдауға жазылғандар тізімі, { $weekday }, { $date }
reminder-daylist-official = { $official }, { $position }
reminder-daylist-place = Орны: { $place }, сағат { $starts } – { $ends }.
reminder-daylist-video = Қабылдау бейнебайланыс арқылы, сағат { $starts } – { $ends }: { $link }
reminder-daylist-count = Жазылғандар саны: { $count }.
reminder-daylist-empty = Бұл күнге ешкім жазылмаған.
reminder-daylist-row = { $position }. { $time } — { $name }
reminder-daylist-priority = кезектен тыс: { $category }
reminder-daylist-principal = өкілі болып отырған тұлға: { $principal }
reminder-daylist-question = Мәселе: { $question }
reminder-daylist-invited = Шақырылғандар: { $invited }
reminder-daylist-language = Қабылдау тілі: { $language ->
        [kk] қазақ тілі
       *[ru] орыс тілі
    }{ $interpreter ->
        [yes] , аудармашы қажет
       *[no] {""}
    }
reminder-daylist-redirected = { $official } Telegram-ды қоспаған, сондықтан қабылдауға жазылғандар тізімі сізге, қабылдау бөлмесіне жіберілді. Оны лауазымды тұлғаға жеткізіңізші.
reminder-daylist-update-title = Қабылдау тізіміндегі өзгерістер, { $weekday }, { $date }
reminder-daylist-added = Қосылды:
reminder-daylist-removed = Жазылу тоқтатылды: { $name }
reminder-morning-title = Бүгін, { $date }, сіздің жеке қабылдауыңыз: { $count } адам жазылған.
reminder-morning-row = { $time } — { $priority ->
        [yes] { $name } (кезектен тыс)
       *[no] { $name }
    }

## Қызметкерлерге: мерзімдер бойынша күнделікті шолу (R17, R21, R24, R31)

reminder-digest-title = { $date } күнгі мерзімдер ({ $until } қоса алғанда)
reminder-digest-answers_overdue = Жауап беру мерзімі өтіп кеткен (қабылдау күні мен уақыты, R21):
reminder-digest-answers_due = 3 жұмыс күні ішінде жауап беру керек:
reminder-digest-instructions_overdue = Мерзімі өтіп кеткен тапсырмалар:
reminder-digest-instructions_due = Мерзімі 3 жұмыс күні ішінде келетін тапсырмалар:
reminder-digest-fixes_ending = Өтінішті түзету мерзімі аяқталып жатыр:
reminder-digest-hearings_ending = Бас тарту жобасына қарсылық білдіру мерзімі аяқталып жатыр:
reminder-digest-row = { $number } — { $name }, мерзімі { $due }
reminder-digest-empty = Алдағы 3 жұмыс күніне мерзімдер жоқ.

## Лауазымды тұлғаның немесе қызметкердің Telegram-ын байланыстыру

reminder-link-official = Дайын: бұл чат { $name } үшін қосылды. Мұнда қабылдауға жазылғандар тізімі мен ондағы өзгерістер келеді. Ажырату үшін: /unlink
reminder-link-staff = Дайын: бұл чат { $name } қызметкер үшін қосылды. Мұнда мерзімдер бойынша күнделікті шолу мен қабылдау тізімдері келеді. Ажырату үшін: /unlink
reminder-unlink-done = Чат ажыратылды: { $names }. Бұдан былай хабарламалар мұнда келмейді.
reminder-unlink-none = Бұл чат ешбір лауазымды тұлғаға немесе қызметкерге қосылмаған.

## Консоль: шолу беті

console-digest-title = Мерзімдер шолуы
console-digest-intro = Алдағы 3 жұмыс күнінде ({ $until } дейін) не істеу керек және мерзімі неден өтіп кетті. Дәл осы шолу Telegram-ы қосылған қызметкерлерге әр жұмыс күні таңертең келеді.
console-digest-open = Ашу
console-digest-telegram = Telegram
console-digest-telegram-linked = Telegram-ыңыз қосылған: шолу оған әр жұмыс күні таңертең келеді.
console-digest-telegram-not-linked = Telegram-ыңыз қосылмаған.
console-digest-link-button = Telegram үшін код алу
console-digest-link-code = Ботқа /start { $code } командасын жіберіңіз — код { $expires } дейін жарамды. Код бір рет қана көрсетіледі.
