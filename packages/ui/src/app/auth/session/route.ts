import { currentSession, signIn, signOut } from "../../../session/sessionRoutes";

// Sign-in state lives in an HttpOnly cookie set here (src/session/). The
// environment is read per request, like the API proxy's.

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return currentSession(request, process.env);
}

export function POST(request: Request): Promise<Response> {
  return signIn(request, process.env);
}

export function DELETE(request: Request): Response {
  return signOut(request);
}
