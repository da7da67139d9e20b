#!/bin/sh
# One-shot service of docker-compose.yml: a private CA, a certificate for the host "redis" signed by it, and a
# random Redis password, in /certs (a named volume). Nothing secret is committed; an existing set is kept.
set -eu
cd /certs
if [ -s ca.crt ] && [ -s redis.crt ] && [ -s redis-password ]; then
  echo "certificates and password already in /certs"
  exit 0
fi
openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 825 -keyout ca.key -out ca.crt -subj "/CN=Quire compose CA"
openssl req -new -nodes -newkey rsa:2048 -keyout redis.key -out redis.csr -subj "/CN=redis"
printf 'subjectAltName=DNS:redis,DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > redis.ext
openssl x509 -req -sha256 -days 825 -in redis.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out redis.crt -extfile redis.ext
openssl rand -hex 24 > redis-password
rm -f ca.key redis.csr redis.ext ca.srl
# redis (uid 999) reads the key; the Quire processes (uid 10001) read the CA and the password
chmod 644 ca.crt redis.crt redis-password
chmod 640 redis.key && chown 0:999 redis.key
echo "made a CA, a certificate for redis and a password in /certs"
