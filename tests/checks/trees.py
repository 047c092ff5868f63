"""Hand-built syntax trees for the scope and narrowing tests (independent of the parser)."""

from rulelint.language import ast


def s(text):
    return ast.StringLit(text.encode())


def cmp(field, op, rhs):
    return ast.Comparison(ast.Field(field), op, rhs)


def host(value):
    return cmp("http.host", "eq", s(value))


def path(op, value):
    return cmp("http.request.uri.path", op, s(value))


def method(value):
    return cmp("http.request.method", "eq", s(value))


def ip_list(name):
    return cmp("ip.src", "in", ast.NamedList(name))


def ips(*addresses):
    return cmp("ip.src", "in", ast.ListLit(tuple(ast.IpLit(a) for a in addresses)))


def ua(value):
    return cmp("http.user_agent", "contains", s(value))


def AND(*items):
    return ast.Logical("and", items)


def OR(*items):
    return ast.Logical("or", items)


def NOT(item):
    return ast.Not(item)


TRUE = ast.BoolConst(True)
FALSE = ast.BoolConst(False)
