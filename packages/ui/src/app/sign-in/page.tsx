import { Suspense } from "react";
import { SignInForm } from "../../components/SignIn/SignInForm";

export const metadata = { title: "Sign in · Periscope" };

export default function SignInPage() {
  return (
    <main className="sign-in">
      <Suspense>
        <SignInForm />
      </Suspense>
    </main>
  );
}
