"""What the handbook's rendering server loads before it forks a worker (`roles.documents.handbook`,
`start_render_server`): the multiprocessing fork server imports `teamorg.django_setup`, then this
module, once, when it starts.

Importing it loads WeasyPrint and lays out one small part with the print stylesheets, Chinese and
Latin text, so that every rendering worker forked from the server starts with all of that done
(shared, copy-on-write) instead of paying about 1.5 s of its own. Nothing else imports it.
"""

from roles.documents.handbook import warm_up

warm_up()
