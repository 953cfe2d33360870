from django.urls import path

from backto.capabilities.messaging import canned_views, views

urlpatterns = [
    path("messages/", views.messages_inbox, name="messages_inbox"),
    path("family/messages/", views.messages_family, name="messages_family"),
    path(
        "patients/<int:patient_id>/conversations/<str:kind>/",
        views.conversation_start,
        name="conversation_start",
    ),
    path("conversations/<int:conversation_id>/", views.conversation, name="conversation"),
    path(
        "conversations/<int:conversation_id>/send/",
        views.conversation_send,
        name="conversation_send",
    ),
    path(
        "conversations/<int:conversation_id>/print/",
        views.conversation_print,
        name="conversation_print",
    ),
    path("messages/<int:message_id>/photo/", views.message_photo, name="message_photo"),
    path("messages/<int:message_id>/withdraw/", views.message_withdraw, name="message_withdraw"),
    path("messages/<int:message_id>/assign/", views.message_assign, name="message_assign"),
    path("messages/<int:message_id>/done/", views.message_done, name="message_done"),
    path("clinic/canned-replies/", canned_views.canned_replies, name="canned_replies"),
    path("clinic/canned-replies/save/", canned_views.canned_reply_save, name="canned_reply_save"),
    path("clinic/canned-replies/reply-time/", canned_views.reply_time, name="reply_time"),
]
