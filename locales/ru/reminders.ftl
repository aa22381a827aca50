## Напоминания и уведомления (issue 5): заявителям, должностным лицам, сотрудникам приемной.

## Заявителю: подтверждение записи, напоминания (R7, R10)

reminder-where-place = Место: { $place }.
reminder-where-video = Прием пройдет по видеосвязи, ссылка для подключения: { $link }
reminder-bring-self = Возьмите с собой документ, удостоверяющий личность.
reminder-bring-representative = Возьмите с собой документ, удостоверяющий личность, и доверенность или другой документ, подтверждающий полномочия представлять { $principal }.
reminder-booked-details =
    Что нужно знать о приеме по заявке { $number } ({ $official }, { $when }):
    { $where }
    { $bring }
reminder-calendar-attached = Файл для вашего календаря — во вложении.
reminder-calendar-summary = Личный прием: { $official }
reminder-calendar-description = Заявка { $number }. { $bring }
reminder-day-before =
    Напоминаем: { $weekday }, { $when } — ваш личный прием по заявке { $number }. Принимает: { $official }.
    { $where }
    { $bring }
reminder-hours-before =
    Через { $hours ->
        [one] { $hours } час
        [few] { $hours } часа
       *[other] { $hours } часов
    }, в { $time }, — ваш личный прием по заявке { $number }. Принимает: { $official }.
    { $where }
    { $bring }

## Заявителю: перенос приема (R12) и оценка (R29)

reminder-slot-offer = Свободное время приема по заявке { $number } (принимает: { $official }). Выберите подходящее — одно нажатие, и вы записаны.
reminder-slot-offer-none = Свободного времени приема (принимает: { $official }) пока нет. Заявка { $number } остается в очереди: сотрудники приемной сообщат вам новую дату.
reminder-slot-offer-closed = Эта заявка уже не ждет выбора времени.
reminder-slot-chosen = Вы выбрали новое время. Подтверждение придет следующим сообщением.
reminder-satisfaction-ask = Как прошел прием по заявке { $number }? Оцените, пожалуйста, от 1 (плохо) до 5 (отлично).
reminder-satisfaction-thanks = Спасибо за оценку! Если хотите, напишите одним сообщением, что понравилось или что стоит улучшить.
reminder-satisfaction-skip = Без комментария
reminder-satisfaction-comment-thanks = Спасибо, ваш отзыв сохранен.

error-slot-offer-closed = Эта заявка уже не ждет выбора нового времени.
error-satisfaction-score = Выберите оценку от 1 до 5.
error-satisfaction-not-attended = Оценить можно только прием, который состоялся.
error-satisfaction-comment-empty = Напишите комментарий текстом или нажмите «Без комментария».

## Должностному лицу: список на прием (R25), утренняя сводка, изменения

reminder-daylist-title = Список на личный прием, { $weekday }, { $date }
reminder-daylist-official = { $official }, { $position }
reminder-daylist-place = Место: { $place }, с { $starts } до { $ends }.
reminder-daylist-video = Прием по видеосвязи, с { $starts } до { $ends }: { $link }
reminder-daylist-count = Записано: { $count }.
reminder-daylist-empty = На этот день никто не записан.
reminder-daylist-row = { $position }. { $time } — { $name }
reminder-daylist-priority = вне очереди: { $category }
reminder-daylist-principal = представляет: { $principal }
reminder-daylist-question = Вопрос: { $question }
reminder-daylist-invited = Приглашены: { $invited }
reminder-daylist-language = Язык приема: { $language ->
        [kk] казахский
       *[ru] русский
    }{ $interpreter ->
        [yes] , нужен переводчик
       *[no] {""}
    }
reminder-daylist-redirected = { $official } не подключил(а) Telegram, поэтому список на прием отправлен вам, в приемную. Передайте его, пожалуйста.
reminder-daylist-update-title = Изменения в списке на прием, { $weekday }, { $date }
reminder-daylist-added = Добавлен(а):
reminder-daylist-removed = Запись отменена: { $name }
reminder-morning-title = Сегодня, { $date }, ваш личный прием: записано { $count }.
reminder-morning-row = { $time } — { $priority ->
        [yes] { $name } (вне очереди)
       *[no] { $name }
    }

## Сотрудникам: ежедневная сводка сроков (R17, R21, R24, R31)

reminder-digest-title = Сроки на { $date } (до { $until } включительно)
reminder-digest-answers_overdue = Просрочен ответ (дата и время приема, R21):
reminder-digest-answers_due = Ответ в течение 3 рабочих дней:
reminder-digest-instructions_overdue = Просрочены поручения:
reminder-digest-instructions_due = Поручения со сроком в течение 3 рабочих дней:
reminder-digest-fixes_ending = Заканчивается срок исправления заявки:
reminder-digest-hearings_ending = Заканчивается срок возражений по проекту отказа:
reminder-digest-row = { $number } — { $name }, срок { $due }
reminder-digest-empty = Сроков на ближайшие 3 рабочих дня нет.

## Привязка Telegram должностного лица или сотрудника

reminder-link-official = Готово: этот чат подключен для { $name }. Сюда будут приходить списки на прием и изменения в них. Отключить: /unlink
reminder-link-staff = Готово: этот чат подключен для сотрудника { $name }. Сюда будут приходить ежедневная сводка сроков и списки на прием. Отключить: /unlink
reminder-unlink-done = Чат отключен: { $names }. Уведомления сюда больше не придут.
reminder-unlink-none = Этот чат не подключен ни к одному должностному лицу или сотруднику.

## Консоль: страница сводки

console-digest-title = Сводка сроков
console-digest-intro = Что нужно сделать в ближайшие 3 рабочих дня (до { $until }) и что уже просрочено. Та же сводка каждое рабочее утро приходит сотрудникам с подключенным Telegram.
console-digest-open = Открыть
console-digest-telegram = Telegram
console-digest-telegram-linked = Ваш Telegram подключен: сводка приходит в него каждое рабочее утро.
console-digest-telegram-not-linked = Ваш Telegram не подключен.
console-digest-link-button = Получить код для Telegram
console-digest-link-code = Отправьте боту команду /start { $code } — код действует до { $expires }. Код показан один раз.
