"""Register, log in, and your own account's settings."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import CurrentUser, ServicesDep, forget_user
from api.openapi import StrictQueryRoute, problems
from api.problems import Problem
from api.schemas import LoginIn, RegisterIn, TokenOut, UserOut, UserPatchIn
from api.security import hash_password, verify_password

router = APIRouter(prefix="/v1/auth", tags=["auth"], route_class=StrictQueryRoute)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses=problems("already-exists"),
)
async def register(body: RegisterIn, services: ServicesDep) -> UserOut:
    user = await services.users.create(
        body.email, await hash_password(body.password), timezone=body.timezone, locale=body.locale
    )
    return UserOut(**user.model_dump())


@router.post("/login", response_model=TokenOut, responses=problems("invalid-credentials"))
async def login(body: LoginIn, services: ServicesDep) -> TokenOut:
    found = await services.users.credentials(body.email)
    ok = await verify_password(found[1] if found else None, body.password)
    if not found or not ok:
        raise Problem(
            401, "invalid-credentials", "Invalid credentials", "The email or password is wrong."
        )
    user = found[0]
    return TokenOut(
        access_token=services.tokens.issue(user.id),
        expires_in=services.settings.jwt_ttl_seconds,
        user_id=user.id,
    )


@router.get("/me", response_model=UserOut)
async def me(user: CurrentUser) -> UserOut:
    return UserOut(**user.model_dump())


@router.patch("/me", response_model=UserOut, responses=problems("invalid-change"))
async def update_me(body: UserPatchIn, user: CurrentUser, services: ServicesDep) -> UserOut:
    """Change your time zone, language, or where reminders are delivered."""
    updated = await services.users.update(user.id, body.to_domain())
    forget_user(services, user.id)
    return UserOut(**updated.model_dump())
