"""Three tasks gathered; the debugger tests stop inside one of them."""

import asyncio


async def square(n: int) -> int:
    await asyncio.sleep(0.01 * n)
    result = n * n  # @bp square
    return result


async def main() -> None:
    results = await asyncio.gather(*(square(n) for n in range(1, 4)))
    total = sum(results)  # @bp total
    print(f"total={total}")


if __name__ == "__main__":
    asyncio.run(main())
