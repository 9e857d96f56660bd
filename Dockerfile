# Web host (and, with TARGET=jobs, the standalone Hangfire worker) for an office deployment.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish bot/FrontDesk.Bot -c Release -o /out/bot \
 && dotnet publish jobs/FrontDesk.Jobs -c Release -o /out/jobs

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS bot
WORKDIR /app
COPY --from=build /out/bot .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    TZ=Asia/Tokyo
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "FrontDesk.Bot.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS jobs
WORKDIR /app
COPY --from=build /out/jobs .
ENV TZ=Asia/Tokyo
USER app
ENTRYPOINT ["dotnet", "FrontDesk.Jobs.dll"]
