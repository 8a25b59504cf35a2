"""Shared by the import tests: the tree API's output with ids replaced by codes, so two
organizations' designs compare equal when only their ids differ."""

from roles.selectors.api_rows import organization_tree


def design_without_ids(organization) -> dict:
    tree = organization_tree(organization, language="zh-hans", both=True)
    departments, roles, phases = {}, {}, {}

    def walk_departments(nodes):
        for node in nodes:
            departments[node["id"]] = node["code"]
            for role in node["roles"]:
                roles[role["id"]] = role["code"]
            walk_departments(node["children"])

    walk_departments(tree["departments"])
    for phase in tree["phases"]:
        phases[phase["id"]] = phase["order"]

    def role_item(role):
        item = {k: v for k, v in role.items() if k not in ("id", "organization")}
        item["department"] = departments[role["department"]]
        item["reports_to"] = roles.get(role["reports_to"])
        item["combinable_with"] = sorted(roles[r] for r in role["combinable_with"])
        item["headcount"] = sorted(
            (phases[h["phase"]], h["min"], h["max"]) for h in role["headcount"]
        )
        return item

    def department_item(node):
        # The sheet carries no line's origin (a duty's neither): a department's function lines
        # come back with the department's origin, so `functions_origin` is not compared.
        left_out = ("id", "children", "roles", "parent", "functions_origin")
        item = {k: v for k, v in node.items() if k not in left_out}
        item["parent"] = departments.get(node["parent"])
        # A department's own head count and the sum of its roles' name phases by id too.
        for key in ("headcount", "roles_headcount"):
            if key in node:
                item[key] = sorted((phases[h["phase"]], h["min"], h["max"]) for h in node[key])
        item["roles"] = [role_item(role) for role in node["roles"]]
        item["children"] = [department_item(child) for child in node["children"]]
        return item

    def reporting_item(node):
        return {
            "code": roles[node["id"]],
            "children": [reporting_item(child) for child in node["children"]],
        }

    def collaboration_item(line):
        item = {k: v for k, v in line.items() if k != "id"}
        for end in ("from_department", "to_department"):
            item[end] = departments.get(line[end])
        for end in ("from_role", "to_role"):
            item[end] = roles.get(line[end])
        return item

    return {
        "phases": [{k: v for k, v in p.items() if k != "id"} for p in tree["phases"]],
        "departments": [department_item(node) for node in tree["departments"]],
        "reporting": [reporting_item(node) for node in tree["reporting"]],
        "collaborations": [collaboration_item(line) for line in tree["collaborations"]],
    }
