# Web host (and, with TARGET=jobs, the standalone Hangfire worker) for an office deployment.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish bot/FrontDesk.Bot -c Release -o /out/bot \
 && dotnet publish jobs/FrontDesk.Jobs -c Release -o /out/jobs

# The kiosk page (kiosk/, Vite + Web Chat), served by the web host at /kiosk.
FROM node:20-bookworm-slim AS kiosk
WORKDIR /kiosk
COPY kiosk/package.json kiosk/package-lock.json kiosk/.npmrc ./
RUN npm ci --no-audit --no-fund
COPY kiosk/ ./
RUN npm run build

# The console's browser client (console/: the SignalR library and console.js), served at /console/assets.
FROM node:20-bookworm-slim AS console
WORKDIR /console
COPY console/package.json console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY console/console.js ./

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS bot
# MeCab and IPADIC for the knowledge search's lemma field (Knowledge__MeCabDictionary).
RUN apt-get update \
    && apt-get install -y --no-install-recommends mecab libmecab2 mecab-ipadic-utf8 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/bot .
COPY knowledge/content /app/content
COPY --from=kiosk /kiosk/dist ./kiosk
COPY --from=console /console ./console
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    TZ=Asia/Tokyo \
    Kiosk__PageFolder=/app/kiosk \
    Console__ClientFolder=/app/console \
    Knowledge__Sources__0__Name=articles \
    Knowledge__Sources__0__Folder=/app/content/articles \
    Knowledge__SynonymsPath=/app/content/synonyms.txt \
    Intents__Path=/app/content/intents.txt \
    Rules__Folder=/app/content/rules \
    Listings__PhotosFolder=/app/content/listings/photos
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "FrontDesk.Bot.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS jobs
WORKDIR /app
COPY --from=build /out/jobs .
COPY knowledge/content /app/content
ENV TZ=Asia/Tokyo \
    Knowledge__Sources__0__Name=articles \
    Knowledge__Sources__0__Folder=/app/content/articles \
    Rules__Folder=/app/content/rules
USER app
ENTRYPOINT ["dotnet", "FrontDesk.Jobs.dll"]
