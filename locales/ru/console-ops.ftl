## Консоль: операторы, регистрация устных обращений, список на прием, протоколы, контроль, отчеты.

ops-show = Показать
ops-print = Печать
ops-language-kk = казахский
ops-language-ru = русский

console-done-ops-claimed = Чат закреплён за вами.
console-done-ops-sent = Сообщение отправлено.
console-done-ops-handed-back = Чат передан боту.
console-done-ops-closed = Разговор завершён, чат передан боту.
console-done-ops-registered = Обращение зарегистрировано.
console-done-ops-recorded = Протокол сохранён.
console-done-ops-saved = Сохранено.

error-chat-claimed-by-another = Этот чат ведёт другой оператор. Чтобы ответить, сначала возьмите чат себе.
error-chat-file-needs-citizen = Файл можно отправить только заявителю, который уже дал согласие и указал свои данные.
error-intake-channel = Выберите, как поступило обращение: по телефону, лично, через call-центр или на бумаге.
error-intake-consent = Без согласия заявителя на обработку персональных данных обращение записать нельзя.
error-intake-name-empty = Укажите фамилию, имя и отчество заявителя.
error-protocol-exists = Протокол приема { $day } уже составлен.
error-protocol-no-items = Отметьте хотя бы одного заявителя, принятого на приеме.
error-protocol-signatures = Укажите председательствующего и секретаря: они подписывают протокол.
error-protocol-item-no-result = По каждому заявителю нужно принятое решение или поручение с конкретным сроком.

## Операторы
ops-inbox-title = Обращения к оператору
ops-inbox-hint = Сначала ожидающие, от самых давних. Чат, который никто не взял больше { $minutes } мин., выделен красным.
ops-inbox-state = Состояние
ops-inbox-waiting-since = Ожидает с
ops-inbox-channel = Канал
ops-inbox-language = Язык
ops-inbox-citizen = Заявитель
ops-inbox-waiting = Ожидает оператора
ops-inbox-stale = Никто не взял больше { $minutes } мин.
ops-inbox-claimed-by = Ведёт: { $name }
ops-inbox-unknown-citizen = Заявитель ещё не представился
ops-inbox-open = Открыть
ops-inbox-empty = Сейчас никто не ждёт оператора.

ops-chat-title = Чат с заявителем
ops-chat-back = ← Ко всем обращениям
ops-chat-with-bot = Чат ведёт бот
ops-chat-claim = Взять чат
ops-chat-take-over = Взять чат у другого оператора
ops-chat-claim-to-reply = Чтобы ответить, возьмите чат.
ops-chat-handback = Вернуть боту
ops-chat-handback-confirm = Вернуть чат боту? Заявитель продолжит с того шага, на котором остановился.
ops-chat-close = Завершить разговор
ops-chat-close-confirm = Завершить разговор? Заявитель получит прощальное сообщение, дальше чат ведёт бот.
ops-chat-reply = Ответ
ops-chat-attach = Файл (PDF, JPG, PNG)
ops-chat-send = Отправить
ops-chat-canned = Готовые ответы (уйдут на языке заявителя: { $language }):
ops-chat-file = файл
ops-chat-stream-lost = Связь прервалась, переподключаемся…
ops-chat-author-citizen = Заявитель
ops-chat-author-bot = Бот
ops-chat-author-staff = Оператор

## Готовые ответы: -label — надпись на кнопке, сам текст уходит заявителю.
ops-canned-greeting-label = Приветствие
ops-canned-greeting = Здравствуйте! Я оператор приемной акимата. Чем могу помочь?
ops-canned-wait-label = Минуту
ops-canned-wait = Пожалуйста, подождите минуту, я уточняю информацию.
ops-canned-documents-label = Документы
ops-canned-documents = На прием возьмите документ, удостоверяющий личность. Если вы представляете другого человека или организацию — документ, подтверждающий полномочия (доверенность).
ops-canned-schedule-label = График
ops-canned-schedule = График приема должностных лиц можно посмотреть в меню бота: «График приема».
ops-canned-status-label = Статус заявки
ops-canned-status = Статус вашей заявки можно посмотреть в меню бота: «Мои заявки». Назовите, пожалуйста, номер заявки, и я проверю.
ops-canned-thanks-label = Спасибо
ops-canned-thanks = Спасибо за обращение!
ops-canned-closing = Спасибо за обращение! Разговор с оператором завершён. Если понадобится помощь, нажмите «Связаться с оператором».

## Устное обращение (по телефону, лично)
ops-intake-title = Записать обращение по телефону или лично
ops-intake-intro = Обращение регистрируется так же, как заявка из бота; канал поступления сохраняется. Устное обращение заносится в отдельный протокол.
ops-intake-consent-legend = Согласие на обработку персональных данных
ops-intake-consent-text = Прочитайте заявителю: «Для записи на личный прием мы обработаем ваши фамилию, имя, ИИН, телефон и суть вопроса. Вы согласны?»
ops-intake-consent-given = Заявитель согласен
ops-intake-channel = Как поступило
ops-intake-language = Язык приема
ops-intake-name = Ф. И. О. заявителя
ops-intake-iin = ИИН
ops-intake-phone = Телефон
ops-intake-official = К кому на прием
ops-intake-topic = Тема
ops-intake-priority = Вне очереди
ops-intake-priority-none = Нет, в общем порядке
ops-intake-format = Форма приема
ops-intake-interpreter = Нужен переводчик
ops-intake-question = Суть вопроса
ops-intake-register = Зарегистрировать
ops-intake-protocol-decision = Обращение принято в устной форме и зарегистрировано, заявка № { $number }.

## Список на прием
ops-daylist-title = Список лиц, записанных на прием
ops-daylist-official = Должностное лицо
ops-daylist-date = Дата
ops-daylist-heading = { $official }: прием { $date }
ops-daylist-hours = Время
ops-daylist-place = Место
ops-daylist-due = Передать должностному лицу не позднее
ops-daylist-cancelled = Прием отменён: { $reason }
ops-daylist-time = Время
ops-daylist-name = Ф. И. О.
ops-daylist-question = Вопрос
ops-daylist-invited = Приглашённые
ops-daylist-notes = Отметки
ops-daylist-for = в интересах: { $principal }
ops-daylist-priority = вне очереди
ops-daylist-interpreter = переводчик
ops-daylist-upcoming = Ближайшие приемы
ops-daylist-empty = На этот прием никто не записан.
ops-daylist-no-reception = У должностного лица { $official } нет приема { $date }.
ops-daylist-no-officials = Должностные лица ещё не добавлены.

## Протоколы
ops-protocols-title = Протоколы приема
ops-protocols-open-days = Приемы без протокола
ops-protocols-none = Протоколов пока нет.
ops-protocol-date = Дата
ops-protocol-official = Должностное лицо
ops-protocol-kind = Вид
ops-protocol-kind-reception = Личный прием
ops-protocol-kind-oral = Устное обращение
ops-protocol-items = Пунктов
ops-protocol-place = Место
ops-protocol-new-title = Протокол приема
ops-protocol-header = Вводная часть
ops-protocol-attendees-hint = по одному в строке
ops-protocol-not-marked = Эти заявители ещё не отмечены как принятые или не явившиеся. Отметьте это в карточке заявки, чтобы внести их в протокол:
ops-protocol-nobody-heard = На этом приеме ещё никто не отмечен как принятый.
ops-protocol-include = Внести в протокол
ops-protocol-instructions-hint = Поручения с конкретным сроком: по категории контроля или датой в её пределах. Пустые строки не сохраняются.
ops-protocol-record = Сохранить протокол
ops-protocol-heading = Протокол № { $number } за { NUMBER($year, useGrouping: 0) } год
ops-protocol-section-title = Об обращении { $name } (заявка № { $number })
ops-protocol-download = Скачать DOCX
ops-protocol-download-other = DOCX на другом языке ({ $language })
ops-protocol-close-request = Снять с контроля: окончательный ответ
ops-protocol-close-confirm = Отправить заявителю окончательный ответ и снять заявку с контроля?
ops-protocol-final-answer = Окончательный мотивированный ответ заявителю

ops-instruction-text = Поручение
ops-instruction-category = Вид контроля
ops-instruction-due = Срок
ops-instruction-state = Состояние
ops-instruction-add = Добавить поручение
ops-instruction-on-control = На контроле
ops-instruction-overdue = Просрочено
ops-instruction-done = Исполнено
ops-instruction-extended = срок продлевался
ops-instruction-complete = Исполнено
ops-instruction-result = Результат исполнения
ops-instruction-extend = Продлить срок
ops-instruction-new-due = Новый срок

ops-control-category-very-urgent = весьма срочно (3 рабочих дня)
ops-control-category-urgent = срочно (до 10 рабочих дней)
ops-control-category-short = краткосрочный (до месяца)
ops-control-category-medium = среднесрочный (до 6 месяцев)
ops-control-category-long = долгосрочный (более 6 месяцев)
ops-control-category-none = срок не указан (один месяц)

ops-control-title = Поручения на контроле
ops-control-overdue = Просроченные: { $count }
ops-control-due-soon = Срок в ближайшие 3 рабочих дня: { $count }
ops-control-none = Нет.
ops-control-protocol = Протокол
ops-control-applicant = Заявитель

## Протокол в DOCX (приложение 8 к регламенту)
ops-docx-kind = ПРОТОКОЛ
ops-docx-title = личного приема граждан: { $official }
ops-docx-chair = Председательствующий
ops-docx-secretary = Секретарь
ops-docx-present = Присутствовали
ops-docx-agenda = Повестка дня:
ops-docx-heard = СЛУШАЛИ
ops-docx-spoke = ВЫСТУПИЛИ
ops-docx-decided = ПОСТАНОВИЛИ
ops-docx-instructions = Поручения
ops-docx-executor = Исполнитель
ops-docx-nobody-spoke = —
ops-docx-term = срок — { $due }, { $category }

## Отчет
ops-report-title = Отчет о работе приемной
ops-report-heading = Отчет за { $quarter } квартал { NUMBER($year, useGrouping: 0) } года ({ $start } — { $end })
ops-report-year = Год
ops-report-quarter = Квартал
ops-report-download = Скачать XLSX
ops-report-summary = Итоги
ops-report-indicator = Показатель
ops-report-value = Значение
ops-report-total = Зарегистрировано заявок
ops-report-met = Ответ дан в срок
ops-report-missed = Ответ дан с нарушением срока
ops-report-overdue-open = Срок истёк, ответа нет
ops-report-pending = Срок ещё не истёк
ops-report-no-answer-needed = Отозваны до ответа
ops-report-average-days = Средний срок ответа, рабочих дней
ops-report-satisfaction = Удовлетворённость
ops-report-satisfaction-responses = Оценок удовлетворённости
ops-report-satisfaction-average = Средняя оценка (из 5)
ops-report-score = Оценка
ops-report-by-channel = По каналам поступления
ops-report-by-topic = По темам
ops-report-by-official = По должностным лицам
ops-report-by-outcome = По результатам
ops-report-group = Группа
ops-report-count = Количество
ops-report-share = Доля, %
ops-report-empty = Нет данных.
ops-report-unspecified = не указано

## Недоставленные сообщения (исходящие, которые бот не смог доставить)
console-nav-intake = Запись обращения
console-nav-digest = Сводка сроков
console-nav-undelivered = Недоставленные
ops-undelivered-title = Недоставленные сообщения
ops-undelivered-intro = Сообщения, которые бот не смог доставить гражданину. Отправьте ещё раз или сообщите гражданину иначе (например, по телефону) и уберите сообщение из списка.
ops-undelivered-status = Причина
ops-undelivered-status-all = Все
ops-undelivered-status-failed = Не удалось отправить
ops-undelivered-status-undeliverable = Канал не позволяет доставить
ops-undelivered-total = { $count ->
    [one] { $count } сообщение ждёт решения
    [few] { $count } сообщения ждут решения
   *[other] { $count } сообщений ждут решения
}
ops-undelivered-col-created = Создано
ops-undelivered-col-chat = Кому
ops-undelivered-col-message = Сообщение
ops-undelivered-col-problem = Что случилось
ops-undelivered-col-attempts = Попыток
ops-undelivered-col-last-attempt = Последняя попытка
ops-undelivered-no-chat = Нет чата
ops-undelivered-open-chat = Открыть чат
ops-undelivered-request = Заявка { $number }
ops-undelivered-retry = Отправить ещё раз
ops-undelivered-dismiss = Убрать из списка
ops-undelivered-dismiss-confirm = Гражданину сообщили иначе? Сообщение уберётся из списка и больше не будет отправляться.
ops-undelivered-empty = Недоставленных сообщений нет.
console-done-ops-undelivered-retried = Сообщение снова поставлено в очередь на отправку.
console-done-ops-undelivered-dismissed = Сообщение убрано из списка.
console-done-ops-undelivered-gone = Это сообщение уже обработано.
console-notice-status-dismissed = не доставлено, гражданину сообщили иначе
