## WhatsApp: тізімдер мен батырмалардың қысқа атаулары. Дәл осы идентификаторлар — ru/whatsapp.ftl файлында.
## Батырма атауы 20 таңбадан, тізім жолы 24 таңбадан аспайды (WhatsApp шектеулері).

whatsapp-choose = Нұсқаны таңдаңыз:
whatsapp-list-open = Таңдау
whatsapp-list-more = Тағы нұсқалар →
whatsapp-list-first = ← Тізімнің басына
whatsapp-list-page = Нұсқалар: { $pages } беттің { $page }-беті.

## Толық атауы сыймайтын батырмалардың қысқа атаулары (whatsapp-label-<id>)
whatsapp-label-nav-operator = Операторға жазу
whatsapp-label-menu-consent = Келісім беру
whatsapp-label-continue = Бәрібір өтініш беру
whatsapp-label-format-video = Бейнебайланыс арқылы
whatsapp-label-slot-queue = Кезекке тұру
whatsapp-label-idtype-id-card = ҚР жеке куәлігі
whatsapp-label-idtype-residence-permit = Тұруға ықтиярхат
whatsapp-label-idtype-stateless-certificate = Азаматтығы жоқ адам
whatsapp-label-act-withdraw = Кері қайтарып алу
whatsapp-label-yes = Иә, қайтарып аламын
