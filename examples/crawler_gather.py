"""A crawler-like fan-out: gather() over many "downloads", at most four at a time.

No network needed: each page is a sleep and a small computation. Pause while it runs to see the
tasks waiting on the semaphore beside the ones that hold it.
"""

import asyncio
import hashlib

PAGES = [f"https://example.invalid/page/{n}" for n in range(12)]


async def download(url: str, limit: asyncio.Semaphore) -> tuple[str, str]:
    async with limit:
        delay = 0.02 + (len(url) % 5) / 50
        await asyncio.sleep(delay)
        digest = hashlib.sha256(url.encode()).hexdigest()[:12]
        return url, digest


async def crawl(urls: list[str]) -> dict[str, str]:
    limit = asyncio.Semaphore(4)
    results = await asyncio.gather(*(download(url, limit) for url in urls))
    pages = dict(results)
    return pages


def main() -> None:
    pages = asyncio.run(crawl(PAGES))
    for url, digest in sorted(pages.items()):
        print(f"{digest}  {url}")
    print(f"crawled {len(pages)} pages")


if __name__ == "__main__":
    main()
