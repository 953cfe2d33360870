"""Passkeys, server side: the options BackTo offers, who may register one, and both ceremonies
end to end against a small software authenticator written here (an EC P-256 key, attestation
"none"), so that django-otp-webauthn's verification runs exactly as it does for a browser."""

import base64
import hashlib
import json
import os
import struct

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.conftest import PASSWORD, audited

ORIGIN = "http://localhost:8000"
RP_ID = "localhost"


@pytest.fixture(autouse=True)
def relying_party(settings):
    settings.TWO_FACTOR_ENFORCED = True
    settings.OTP_WEBAUTHN_RP_ID = RP_ID
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One passkey: makes the answers a browser would send for `create()` and `get()`."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0
        self.user_handle = b""

    def _client_data(self, kind, challenge, origin):
        data = {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _cose_public_key(self):
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(self, options, origin=ORIGIN):
        self.user_handle = unb64url(options["user"]["id"])
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + bytes([0x45])  # user present, user verified, attested credential data
            + struct.pack(">I", self.sign_count)
            + bytes(16)  # AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_public_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options, origin=ORIGIN):
        self.sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([0x05])  # user present, user verified
            + struct.pack(">I", self.sign_count)
        )
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(self.user_handle),
            },
            "clientExtensionResults": {},
        }


def post_json(client, name, data=None):
    return client.post(
        reverse(f"otp_webauthn:{name}"), json.dumps(data or {}), content_type="application/json"
    )


def sign_in(client, username):
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )


def register(client, authenticator):
    options = post_json(client, "credential-registration-begin").json()
    return post_json(client, "credential-registration-complete", authenticator.create(options))


def test_the_registration_options_name_backto_and_the_person(client, pat):
    sign_in(client, "pat")
    options = post_json(client, "credential-registration-begin").json()
    assert options["rp"] == {"id": RP_ID, "name": "BackTo"}
    assert options["user"]["name"] == "pat"
    assert len(unb64url(options["challenge"])) >= 16
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]


def test_a_staff_member_enrols_a_passkey_at_first_sign_in_and_then_uses_it(
    client, pat, maya, episode
):
    authenticator = SoftAuthenticator()
    sign_in(client, "pat")
    assert client.get(reverse("clinician_home"))["Location"].startswith(reverse("two_factor_setup"))
    response = register(client, authenticator)
    assert response.status_code == 200, response.content
    assert WebAuthnCredential.objects.filter(user=pat, confirmed=True).count() == 1
    assert audited("create", actor_id=pat.pk, detail="2-step: passkey added")
    # The registration verified this session; the recovery codes follow.
    assert client.get(reverse("clinician_home")).status_code == 200
    codes = client.get(reverse("two_factor_recovery_codes"))
    assert b"Your recovery codes" in codes.content and b"<code>" in codes.content

    client.post(reverse("logout"))
    sign_in(client, "pat")
    url = reverse("patient_overview", args=[maya.pk])
    assert client.get(url)["Location"].startswith(reverse("two_factor_verify"))
    page = client.get(reverse("two_factor_verify"), {"next": url})
    assert b"passkey-verification-placeholder" in page.content
    options = post_json(client, "credential-authentication-begin").json()
    assert options["rpId"] == RP_ID
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(authenticator.credential_id)]
    done = client.post(
        reverse("otp_webauthn:credential-authentication-complete") + f"?next={url}",
        json.dumps(authenticator.get(options)),
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["redirect_url"] == url
    assert client.get(url).status_code == 200
    assert audited("login", actor_id=pat.pk, detail="2-step: passkey")


def test_an_answer_from_another_site_is_refused(client, pat):
    sign_in(client, "pat")
    options = post_json(client, "credential-registration-begin").json()
    answer = SoftAuthenticator().create(options, origin="https://evil.example")
    response = post_json(client, "credential-registration-complete", answer)
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()


def test_a_challenge_is_used_once(client, pat):
    authenticator = SoftAuthenticator()
    sign_in(client, "pat")
    options = post_json(client, "credential-registration-begin").json()
    answer = authenticator.create(options)
    assert post_json(client, "credential-registration-complete", answer).status_code == 200
    again = post_json(client, "credential-registration-complete", answer)
    assert again.status_code != 200


def test_another_persons_passkey_does_not_verify_this_session(client, pat, olive):
    theirs = SoftAuthenticator()
    sign_in(client, "olive")
    register(client, theirs)
    client.post(reverse("logout"))
    TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    sign_in(client, "pat")
    options = post_json(client, "credential-authentication-begin").json()
    response = post_json(client, "credential-authentication-complete", theirs.get(options))
    assert response.status_code != 200
    assert client.get(reverse("clinician_home"))["Location"].startswith(
        reverse("two_factor_verify")
    )


def test_a_password_alone_cannot_add_a_passkey_to_an_account_with_a_device(client, pat):
    TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    sign_in(client, "pat")
    response = post_json(client, "credential-registration-begin")
    assert response.status_code == 403


def test_a_passkey_is_never_a_sign_in_on_its_own(client, db):
    response = post_json(client, "credential-authentication-begin")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_adding_another_passkey_later_asks_for_the_password_again(client, pat, settings):
    sign_in(client, "pat")
    register(client, SoftAuthenticator())
    settings.SUDO_SECONDS = 0
    response = post_json(client, "credential-registration-begin")
    assert response.status_code == 403
    assert response.json()["code"] == "confirm_first"
