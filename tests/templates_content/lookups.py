"""Short look-ups the template facts tests share."""

from departments.models import Department
from roles.models import Role


def dept(org, code):
    return Department.objects.get(organization=org, code=code)


def role(org, code):
    return Role.objects.get(organization=org, code=code)


def texts(manager, **filters):
    return [line.text_zh for line in manager.filter(**filters)]


def duties(org, code):
    return [line.text_zh for line in role(org, code).duties.all()]


def mentions(lines, needle):
    return any(needle in line for line in lines)
