"""Factories per model. Tree nodes are created through the locked services, like everywhere else,
so tests never build a tree the product itself could not build."""

import factory
from django.contrib.auth import get_user_model

from departments import services as department_services
from departments.models import Department, Organization
from roles import services as role_services
from roles.models import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_zh = factory.Sequence(lambda n: f"测试公司{n}")
    name_en = factory.Sequence(lambda n: f"Test company {n}")
    slug = factory.Sequence(lambda n: f"test-company-{n}")
    owner = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return department_services.organization_create(**kwargs)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organization = factory.SubFactory(OrganizationFactory)
    parent = None
    name_zh = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return department_services.department_create(**kwargs)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    organization = factory.LazyAttribute(lambda role: role.department.organization)
    department = factory.SubFactory(DepartmentFactory)
    reports_to = None
    title_zh = factory.Sequence(lambda n: f"岗位{n}")
    title_en = factory.Sequence(lambda n: f"Role {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return role_services.role_create(**kwargs)


def department_path(organization: Organization, breadcrumb: str) -> Department:
    """Create (or reuse) the departments of "运营中心 > 客服部 > 售后组"; return the last one."""
    parent = None
    for name in [part.strip() for part in breadcrumb.split(">") if part.strip()]:
        existing = Department.objects.filter(
            organization=organization, parent=parent, name_zh=name
        ).first()
        parent = existing or department_services.department_create(
            organization=organization, parent=parent, name_zh=name, name_en=name
        )
    return parent


def role_chain(organization: Organization, department: Department, titles: str) -> Role:
    """Create the reporting chain "CEO > 运营总监 > 运营专员"; return the last role."""
    manager = None
    for title in [part.strip() for part in titles.split(">") if part.strip()]:
        manager = role_services.role_create(
            organization=organization,
            department=department,
            reports_to=manager,
            title_zh=title,
            title_en=title,
        )
    return manager
