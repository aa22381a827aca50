## Консоль: операторлар, ауызша өтініштерді тіркеу, қабылдау тізімі, хаттамалар, бақылау, есептер.

ops-show = Көрсету
ops-print = Басып шығару
ops-language-kk = қазақ тілі
ops-language-ru = орыс тілі

console-done-ops-claimed = Чат сізге бекітілді.
console-done-ops-sent = Хабарлама жіберілді.
console-done-ops-handed-back = Чат ботқа қайтарылды.
console-done-ops-closed = Сөйлесу аяқталды, чат ботқа қайтарылды.
console-done-ops-registered = Өтініш тіркелді.
console-done-ops-recorded = Хаттама сақталды.
console-done-ops-saved = Сақталды.

error-chat-claimed-by-another = Бұл чатты басқа оператор жүргізіп отыр. Жауап беру үшін алдымен чатты өзіңізге алыңыз.
error-chat-file-needs-citizen = Файлды келісім беріп, өз деректерін көрсеткен өтініш берушіге ғана жіберуге болады.
error-intake-channel = Өтініштің қалай түскенін таңдаңыз: телефон арқылы, жеке өзі, call-орталық арқылы немесе қағаз түрінде.
error-intake-consent = Өтініш берушінің дербес деректерді өңдеуге келісімінсіз өтінішті жазуға болмайды.
error-intake-name-empty = Өтініш берушінің тегін, атын және әкесінің атын көрсетіңіз.
error-protocol-exists = { $day } қабылдауының хаттамасы әлдеқашан жасалған.
error-protocol-no-items = Қабылдауда болған кемінде бір өтініш берушіні белгілеңіз.
error-protocol-signatures = Төрағалық етушіні және хатшыны көрсетіңіз: хаттамаға солар қол қояды.
error-protocol-item-no-result = Әр өтініш беруші бойынша қабылданған шешім немесе нақты мерзімі бар тапсырма болуы керек.

## Операторлар
ops-inbox-title = Операторға жүгінгендер
ops-inbox-hint = Алдымен күтіп тұрғандар, ең ертеден бастап. { $minutes } минуттан астам ешкім алмаған чат қызылмен белгіленеді.
ops-inbox-state = Күйі
ops-inbox-waiting-since = Күте бастаған уақыты
ops-inbox-channel = Арна
ops-inbox-language = Тіл
ops-inbox-citizen = Өтініш беруші
ops-inbox-waiting = Операторды күтуде
ops-inbox-stale = { $minutes } минуттан астам ешкім алмады
ops-inbox-claimed-by = Жүргізуші: { $name }
ops-inbox-unknown-citizen = Өтініш беруші әлі өзін таныстырған жоқ
ops-inbox-open = Ашу
ops-inbox-empty = Қазір операторды ешкім күтіп тұрған жоқ.

ops-chat-title = Өтініш берушімен чат
ops-chat-back = ← Барлық жүгінулерге
ops-chat-with-bot = Чатты бот жүргізуде
ops-chat-claim = Чатты алу
ops-chat-take-over = Чатты басқа оператордан алу
ops-chat-claim-to-reply = Жауап беру үшін чатты алыңыз.
ops-chat-handback = Ботқа қайтару
ops-chat-handback-confirm = Чатты ботқа қайтарасыз ба? Өтініш беруші тоқтаған қадамынан жалғастырады.
ops-chat-close = Сөйлесуді аяқтау
ops-chat-close-confirm = Сөйлесуді аяқтайсыз ба? Өтініш беруші қоштасу хабарламасын алады, әрі қарай чатты бот жүргізеді.
ops-chat-reply = Жауап
ops-chat-attach = Файл (PDF, JPG, PNG)
ops-chat-send = Жіберу
ops-chat-canned = Дайын жауаптар (өтініш берушінің тілінде жіберіледі: { $language }):
ops-chat-file = файл
ops-chat-stream-lost = Байланыс үзілді, қайта қосылып жатырмыз…
ops-chat-author-citizen = Өтініш беруші
ops-chat-author-bot = Бот
ops-chat-author-staff = Оператор

## Дайын жауаптар: -label — батырмадағы жазу, мәтіннің өзі өтініш берушіге жіберіледі.
ops-canned-greeting-label = Сәлемдесу
ops-canned-greeting = Сәлеметсіз бе! Мен әкімдіктің қабылдау бөлмесінің операторымын. Сізге қалай көмектесе аламын?
ops-canned-wait-label = Бір минут
ops-canned-wait = Бір минут күте тұрыңызшы, ақпаратты нақтылап жатырмын.
ops-canned-documents-label = Құжаттар
ops-canned-documents = Қабылдауға жеке басыңызды куәландыратын құжатты алыңыз. Егер басқа адамның немесе ұйымның атынан келсеңіз — өкілеттігіңізді растайтын құжатты (сенімхатты) да алыңыз.
ops-canned-schedule-label = Кесте
ops-canned-schedule = Лауазымды адамдардың қабылдау кестесін боттың мәзірінен көре аласыз: «Қабылдау кестесі».
ops-canned-status-label = Өтінім күйі
ops-canned-status = Өтініміңіздің күйін боттың мәзірінен көре аласыз: «Менің өтінімдерім». Өтінім нөмірін айтыңызшы, мен тексеріп берейін.
ops-canned-thanks-label = Рақмет
ops-canned-thanks = Жүгінгеніңізге рақмет!
ops-canned-closing = Жүгінгеніңізге рақмет! Оператормен сөйлесу аяқталды. Көмек қажет болса, «Операторға жазу» батырмасын басыңыз.

## Ауызша өтініш (телефон арқылы, жеке өзі)
ops-intake-title = Телефон арқылы немесе жеке келген өтінішті жазу
ops-intake-intro = Өтініш боттағы өтінім сияқты тіркеледі; түскен арнасы сақталады. Ауызша өтініш жеке хаттамаға енгізіледі.
ops-intake-consent-legend = Дербес деректерді өңдеуге келісім
ops-intake-consent-text = Өтініш берушіге оқып беріңіз: «Жеке қабылдауға жазу үшін біз сіздің тегіңізді, атыңызды, ЖСН-іңізді, телефоныңызды және мәселенің мәнін өңдейміз. Келісесіз бе?»
ops-intake-consent-given = Өтініш беруші келісті
ops-intake-channel = Қалай түсті
ops-intake-language = Қабылдау тілі
ops-intake-name = Өтініш берушінің Т. А. Ә.
ops-intake-iin = ЖСН
ops-intake-phone = Телефон
ops-intake-official = Кімнің қабылдауына
ops-intake-topic = Тақырып
ops-intake-priority = Кезектен тыс
ops-intake-priority-none = Жоқ, жалпы тәртіппен
ops-intake-format = Қабылдау түрі
ops-intake-interpreter = Аудармашы қажет
ops-intake-question = Мәселенің мәні
ops-intake-register = Тіркеу
ops-intake-protocol-decision = Өтініш ауызша қабылданып, тіркелді, өтінім № { $number }.

## Қабылдау тізімі
ops-daylist-title = Қабылдауға жазылған адамдардың тізімі
ops-daylist-official = Лауазымды адам
ops-daylist-date = Күні
ops-daylist-heading = { $official }: { $date } қабылдауы
ops-daylist-hours = Уақыты
ops-daylist-place = Орны
ops-daylist-due = Лауазымды адамға берілетін соңғы мерзім
ops-daylist-cancelled = Қабылдау тоқтатылды: { $reason }
ops-daylist-time = Уақыты
ops-daylist-name = Т. А. Ә.
ops-daylist-question = Мәселе
ops-daylist-invited = Шақырылғандар
ops-daylist-notes = Белгілер
ops-daylist-for = кімнің мүддесінде: { $principal }
ops-daylist-priority = кезектен тыс
ops-daylist-interpreter = аудармашы
ops-daylist-upcoming = Алдағы қабылдаулар
ops-daylist-empty = Бұл қабылдауға ешкім жазылмаған.
ops-daylist-no-reception = { $official } { $date } күні қабылдау өткізбейді.
ops-daylist-no-officials = Лауазымды адамдар әлі қосылмаған.

## Хаттамалар
ops-protocols-title = Қабылдау хаттамалары
ops-protocols-open-days = Хаттамасы жоқ қабылдаулар
ops-protocols-none = Әзірге хаттама жоқ.
ops-protocol-date = Күні
ops-protocol-official = Лауазымды адам
ops-protocol-kind = Түрі
ops-protocol-kind-reception = Жеке қабылдау
ops-protocol-kind-oral = Ауызша өтініш
ops-protocol-items = Тармақ саны
ops-protocol-place = Орны
ops-protocol-new-title = Қабылдау хаттамасы
ops-protocol-header = Кіріспе бөлім
ops-protocol-attendees-hint = әр жолға біреуден
ops-protocol-not-marked = Бұл өтініш берушілер әлі қабылданды немесе келмеді деп белгіленбеген. Оларды хаттамаға енгізу үшін өтінім карточкасында белгілеңіз:
ops-protocol-nobody-heard = Бұл қабылдауда әлі ешкім қабылданды деп белгіленбеген.
ops-protocol-include = Хаттамаға енгізу
ops-protocol-instructions-hint = Нақты мерзімі бар тапсырмалар: бақылау түрі бойынша немесе сол түрдің шегіндегі күнмен. Бос жолдар сақталмайды.
ops-protocol-record = Хаттаманы сақтау
ops-protocol-heading = { NUMBER($year, useGrouping: 0) } жылғы № { $number } хаттама
ops-protocol-section-title = { $name } жолданымы туралы (№ { $number } өтінім)
ops-protocol-download = DOCX жүктеу
ops-protocol-download-other = Басқа тілдегі DOCX ({ $language })
ops-protocol-close-request = Бақылаудан алу: түпкілікті жауап
ops-protocol-close-confirm = Өтініш берушіге түпкілікті жауапты жіберіп, өтінімді бақылаудан аласыз ба?
ops-protocol-final-answer = Өтініш берушіге түпкілікті дәлелді жауап

ops-instruction-text = Тапсырма
ops-instruction-category = Бақылау түрі
ops-instruction-due = Мерзімі
ops-instruction-state = Күйі
ops-instruction-add = Тапсырма қосу
ops-instruction-on-control = Бақылауда
ops-instruction-overdue = Мерзімі өтті
ops-instruction-done = Орындалды
ops-instruction-extended = мерзімі ұзартылған
ops-instruction-complete = Орындалды
ops-instruction-result = Орындау нәтижесі
ops-instruction-extend = Мерзімін ұзарту
ops-instruction-new-due = Жаңа мерзімі

ops-control-category-very-urgent = аса шұғыл (3 жұмыс күні)
ops-control-category-urgent = шұғыл (10 жұмыс күніне дейін)
ops-control-category-short = қысқа мерзімді (бір айға дейін)
ops-control-category-medium = орта мерзімді (6 айға дейін)
ops-control-category-long = ұзақ мерзімді (6 айдан астам)
ops-control-category-none = мерзімі көрсетілмеген (бір ай)

ops-control-title = Бақылаудағы тапсырмалар
ops-control-overdue = Мерзімі өткендер: { $count }
ops-control-due-soon = Мерзімі алдағы 3 жұмыс күнінде: { $count }
ops-control-none = Жоқ.
ops-control-protocol = Хаттама
ops-control-applicant = Өтініш беруші

## DOCX хаттама (регламенттің 8-қосымшасы)
ops-docx-kind = ХАТТАМА
ops-docx-title = азаматтарды жеке қабылдау: { $official }
ops-docx-chair = Төрағалық етуші
ops-docx-secretary = Хатшы
ops-docx-present = Қатысқандар
ops-docx-agenda = Күн тәртібі:
ops-docx-heard = ТЫҢДАЛДЫ
ops-docx-spoke = СӨЙЛЕГЕНДЕР
ops-docx-decided = ҚАУЛЫ ЕТТІ
ops-docx-instructions = Тапсырмалар
ops-docx-executor = Орындаушы
ops-docx-nobody-spoke = —
ops-docx-term = мерзімі — { $due }, { $category }

## Есеп
ops-report-title = Қабылдау бөлмесі жұмысының есебі
ops-report-heading = { NUMBER($year, useGrouping: 0) } жылдың { $quarter }-тоқсанындағы есеп ({ $start } — { $end })
ops-report-year = Жыл
ops-report-quarter = Тоқсан
ops-report-download = XLSX жүктеу
ops-report-summary = Қорытынды
ops-report-indicator = Көрсеткіш
ops-report-value = Мәні
ops-report-total = Тіркелген өтінімдер
ops-report-met = Жауап мерзімінде берілді
ops-report-missed = Жауап мерзімі бұзылып берілді
ops-report-overdue-open = Мерзімі өтті, жауап жоқ
ops-report-pending = Мерзімі әлі өтпеген
ops-report-no-answer-needed = Жауапқа дейін өтініш беруші кері қайтарып алды
ops-report-average-days = Жауаптың орташа мерзімі, жұмыс күні
ops-report-satisfaction = Қанағаттану
ops-report-satisfaction-responses = Қанағаттану бағалары
ops-report-satisfaction-average = Орташа баға (5-тен)
ops-report-score = Баға
ops-report-by-channel = Түсу арналары бойынша
ops-report-by-topic = Тақырыптар бойынша
ops-report-by-official = Лауазымды адамдар бойынша
ops-report-by-outcome = Нәтижелері бойынша
ops-report-group = Топ
ops-report-count = Саны
ops-report-share = Үлесі, %
ops-report-empty = Деректер жоқ.
ops-report-unspecified = көрсетілмеген

## Жеткізілмеген хабарламалар (бот азаматқа жеткізе алмаған шығыс хабарламалар)
console-nav-intake = Өтінішті жазу
console-nav-digest = Мерзімдер шолуы
console-nav-undelivered = Жеткізілмегендер
ops-undelivered-title = Жеткізілмеген хабарламалар
ops-undelivered-intro = Бот азаматқа жеткізе алмаған хабарламалар. Қайта жіберіңіз немесе азаматқа басқа жолмен (мысалы, телефон арқылы) хабарлап, хабарламаны тізімнен алып тастаңыз.
ops-undelivered-status = Себебі
ops-undelivered-status-all = Барлығы
ops-undelivered-status-failed = Жіберу сәтсіз аяқталды
ops-undelivered-status-undeliverable = Арна арқылы жеткізу мүмкін емес
ops-undelivered-total = Шешім күтіп тұрған хабарламалар: { $count }
ops-undelivered-col-created = Құрылған уақыты
ops-undelivered-col-chat = Кімге
ops-undelivered-col-message = Хабарлама
ops-undelivered-col-problem = Не болды
ops-undelivered-col-attempts = Әрекет саны
ops-undelivered-col-last-attempt = Соңғы әрекет
ops-undelivered-no-chat = Чат жоқ
ops-undelivered-open-chat = Чатты ашу
ops-undelivered-request = Өтінім { $number }
ops-undelivered-retry = Қайта жіберу
ops-undelivered-dismiss = Тізімнен алып тастау
ops-undelivered-dismiss-confirm = Азаматқа басқа жолмен хабарланды ма? Хабарлама тізімнен алынады және енді жіберілмейді.
ops-undelivered-empty = Жеткізілмеген хабарламалар жоқ.
console-done-ops-undelivered-retried = Хабарлама жіберу кезегіне қайта қойылды.
console-done-ops-undelivered-dismissed = Хабарлама тізімнен алынды.
console-done-ops-undelivered-gone = Бұл хабарлама бұрын өңделген.
console-notice-status-dismissed = жеткізілмеді, азаматқа басқа жолмен хабарланды
