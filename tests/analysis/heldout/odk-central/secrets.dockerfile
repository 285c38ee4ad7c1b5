FROM node:24.14.1-slim

COPY files/enketo/generate-secrets.sh ./
