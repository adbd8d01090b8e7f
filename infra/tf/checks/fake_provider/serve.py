"""A stand-in Terraform provider that serves stored schemas, so `terraform
validate` can run where no real provider can be downloaded.

It speaks the plugin protocol version 5 (go-plugin handshake, mutual TLS,
gRPC) and answers only what validation needs: the schema of every type in
../provider_schema.json (argument names, types, required/optional,
exported attributes, block nesting), no diagnostics for the per-resource
validation calls, and the provider configuration echoed back. It never
plans, applies or reaches AWS.

Terraform finds it through a CLI configuration with `dev_overrides` pointing
at ./bin (see terraform_offline.py). Usage (by Terraform): serve.py PROVIDER.
"""

import base64
import datetime
import json
import os
import sys
import threading
from concurrent import futures
from pathlib import Path

import grpc
import msgpack
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from inmanta_tfplugin import tfplugin5_pb2 as pb
from inmanta_tfplugin import tfplugin5_pb2_grpc as pb_grpc

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "provider_schema.json"
MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
PROVIDERS = {"aws": "hashicorp/aws", "archive": "hashicorp/archive"}
NESTING = {
    "list": (pb.Schema.NestedBlock.LIST, 0),
    "list_max_one": (pb.Schema.NestedBlock.LIST, 1),
    "single": (pb.Schema.NestedBlock.SINGLE, 0),
}
# The provider blocks' own arguments (the module sets only aws's region).
PROVIDER_ARGUMENTS = {
    "aws": ["region", "profile", "access_key", "secret_key", "token", "shared_config_files",
            "shared_credentials_files", "allowed_account_ids", "forbidden_account_ids"],
    "archive": [],
}


def json_type(value):
    return json.dumps(value).encode()


def block(spec, computed=None):
    """A Schema.Block from one level of provider_schema.json."""
    required = set(spec.get("required", []))
    attributes = []
    for name in spec["arguments"]:
        attributes.append(pb.Schema.Attribute(
            name=name,
            type=json_type(spec.get("types", {}).get(name, "dynamic")),
            required=name in required,
            optional=name not in required,
            # Optional arguments may also be filled in by the provider.
            computed=name not in required,
        ))
    for name, kind in (computed or {}).items():
        attributes.append(pb.Schema.Attribute(name=name, type=json_type(kind), computed=True))
    nested = []
    for name, child in spec["blocks"].items():
        mode, max_items = NESTING[child.get("nesting", "list")]
        nested.append(pb.Schema.NestedBlock(
            type_name=name, block=block(child), nesting=mode, max_items=max_items))
    return pb.Schema.Block(attributes=attributes, block_types=nested)


def provider_schema_response(provider):
    stored = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    source = PROVIDERS[provider]

    def schemas(kind):
        return {
            name: pb.Schema(block=block(spec, spec.get("computed")))
            for name, spec in stored[kind].items()
            if spec["provider"] == source
        }

    provider_block = pb.Schema.Block(attributes=[
        pb.Schema.Attribute(
            name=name,
            type=json_type(["list", "string"] if name.endswith(("_files", "_ids")) else "string"),
            optional=True,
        )
        for name in PROVIDER_ARGUMENTS[provider]
    ])
    return pb.GetProviderSchema.Response(
        provider=pb.Schema(block=provider_block),
        resource_schemas=schemas("resource"),
        data_source_schemas=schemas("data"),
    )


# cty's msgpack encoding of an unknown value.
UNKNOWN = msgpack.ExtType(0, b"")
PLACEHOLDERS = {"string": "stand-in", "number": 0, "bool": False}


def unpack(dynamic_value):
    """A DynamicValue's msgpack as Python values (None for an absent or null one)."""
    if not dynamic_value.msgpack:
        return None
    return msgpack.unpackb(dynamic_value.msgpack, raw=False,
                           ext_hook=lambda code, data: msgpack.ExtType(code, data))


def pack(value):
    return pb.DynamicValue(msgpack=msgpack.packb(value, use_bin_type=True))


def placeholder(kind):
    """A known value of an exported attribute's type, for data sources."""
    if isinstance(kind, list):
        return {} if kind[0] == "map" else []
    return PLACEHOLDERS.get(kind)


class StandInProvider(pb_grpc.ProviderServicer):
    """Answers Terraform's validate and plan calls from the stored schema."""

    def __init__(self, provider):
        self.response = provider_schema_response(provider)
        stored = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        # Top-level attributes a resource's provider may fill in: the exported
        # ones (arn, endpoint, ...) and the optional arguments.
        self.filled = {
            name: [a for a in spec["arguments"] if a not in spec.get("required", [])]
            + list(spec.get("computed", {}))
            for name, spec in stored["resource"].items()
        }
        self.exported = {
            kind: {name: spec.get("computed", {}) for name, spec in stored[kind].items()}
            for kind in ("resource", "data")
        }

    def GetSchema(self, request, context):
        return self.response

    def PrepareProviderConfig(self, request, context):
        return pb.PrepareProviderConfig.Response(prepared_config=request.config)

    def ValidateResourceTypeConfig(self, request, context):
        return pb.ValidateResourceTypeConfig.Response()

    def ValidateDataSourceConfig(self, request, context):
        return pb.ValidateDataSourceConfig.Response()

    def Configure(self, request, context):
        return pb.Configure.Response()

    def ReadDataSource(self, request, context):
        # The configuration, with a placeholder of the right type in every
        # exported attribute (a data source's result must be known): enough
        # for a plan to evaluate every expression; never a real lookup.
        state = unpack(request.config)
        for name, kind in self.exported["data"][request.type_name].items():
            if state.get(name) is None:
                state[name] = placeholder(kind)
        return pb.ReadDataSource.Response(state=pack(state))

    def PlanResourceChange(self, request, context):
        # A create: every exported or optional attribute left null becomes
        # unknown ("known after apply"), as a real provider plans it.
        planned = unpack(request.proposed_new_state)
        if planned is not None and unpack(request.prior_state) is None:
            for name in self.filled[request.type_name]:
                if planned.get(name) is None:
                    planned[name] = UNKNOWN
        return pb.PlanResourceChange.Response(
            planned_state=pack(planned), legacy_type_system=True)

    def Stop(self, request, context):
        return pb.Stop.Response()


def controller_handler(stop):
    """go-plugin's `plugin.GRPCController/Shutdown`: exit at once when asked.

    Without it Terraform waits two seconds, then kills the process. The
    request and reply are empty messages (no bytes on the wire).
    """

    def shutdown(request, context):
        stop()
        return b""

    return grpc.method_handlers_generic_handler("plugin.GRPCController", {
        "Shutdown": grpc.unary_unary_rpc_method_handler(
            shutdown, request_deserializer=lambda data: data,
            response_serializer=lambda reply: reply),
    })


def server_certificate():
    """A self-signed certificate for localhost, as go-plugin's AutoMTLS expects."""
    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=6))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, key_encipherment=True, key_cert_sign=True,
            content_commitment=False, data_encipherment=False, key_agreement=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert, cert.public_bytes(serialization.Encoding.PEM), key_pem


def main(argv):
    if os.environ.get("TF_PLUGIN_MAGIC_COOKIE") != MAGIC_COOKIE:
        print("This is a Terraform plugin stand-in: Terraform runs it.", file=sys.stderr)
        return 1
    provider = argv[1]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    pb_grpc.add_ProviderServicer_to_server(StandInProvider(provider), server)
    done = threading.Event()
    server.add_generic_rpc_handlers((controller_handler(done.set),))

    client_cert = os.environ.get("PLUGIN_CLIENT_CERT", "").encode()
    handshake_cert = ""
    if client_cert:
        cert, cert_pem, key_pem = server_certificate()
        # Terraform's client certificate is ECDSA P-521, which gRPC's
        # BoringSSL no longer accepts for client authentication; the
        # server serves only read-only schemas on loopback, so it does not ask
        # for one. Terraform still verifies this server's certificate.
        credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)])
        port = server.add_secure_port("127.0.0.1:0", credentials)
        # go-plugin sends the raw DER leaf, unpadded base64 (no newlines).
        der = cert.public_bytes(serialization.Encoding.DER)
        handshake_cert = "|" + base64.b64encode(der).decode().rstrip("=")
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"1|5|tcp|127.0.0.1:{port}|grpc{handshake_cert}\n")
    sys.stdout.flush()
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    # Let the Shutdown reply go out before the process ends.
    server.stop(grace=0.2).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
