"""The Django admin for whole designs. Every write goes through the services, so the admin
cannot corrupt a tree, skip a rule the API enforces (one owner at least, one organization per
line), or change a template (templates change only by `loadtemplates`)."""

from roles.admin import collaborations, organizations, trees  # noqa: F401 - registers the admins
