# Words the Telegram channel adds to the dialog's replies.

# The reply keyboard's button that shares the citizen's phone number.
telegram-share-contact = 📱 Телефон нөмірімді жіберу
# A second message carrying the buttons when the first one holds the contact keyboard.
telegram-or-choose = Немесе төмендегі батырманы басыңыз:
