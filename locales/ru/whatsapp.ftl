## WhatsApp: списки и короткие подписи кнопок. Те же идентификаторы — в kk/whatsapp.ftl.
## Кнопка — не длиннее 20 знаков, строка списка — 24 (ограничения WhatsApp).

whatsapp-choose = Выберите вариант:
whatsapp-list-open = Выбрать
whatsapp-list-more = Ещё варианты →
whatsapp-list-first = ← К началу списка
whatsapp-list-page = Варианты, страница { $page } из { $pages }:

## Короткие подписи по id кнопки (whatsapp-label-<id>), где полная не помещается
whatsapp-label-nav-operator = Написать оператору
whatsapp-label-menu-consent = Согласие и запись
whatsapp-label-continue = Все равно подать
whatsapp-label-format-video = По видеосвязи
whatsapp-label-slot-queue = Встать в очередь
whatsapp-label-idtype-id-card = Удостоверение РК
whatsapp-label-idtype-residence-permit = Вид на жительство
whatsapp-label-idtype-stateless-certificate = Лицо без гражданства
whatsapp-label-act-withdraw = Отозвать заявку
whatsapp-label-yes = Да, отозвать
